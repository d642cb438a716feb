import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp } from '../src/testing/app';
import { axeViolations, cspViolations, horizontalOverflow, launchBrowser, screenshots, VIEWPORTS, type Browser } from './support/browser';
import { ensureWebBuild } from './support/build';

/**
 * Alerts end to end over the demo dataset, with a real SMTP server on loopback: the LDIS
 * coordinator drafts an alert with identifiers in it and sends it for approval; a panel
 * member sees the three audience copies side by side and approves; the coordinator issues
 * it and each list receives its own copy by e-mail (nobody else); a PIN member sees only
 * the redacted copy and the disclosure-controlled PIN report. Every page passes axe at
 * desktop and phone widths and is photographed into /tmp/beacon-shots/.
 */

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

let app: TestApp;
let browser: Browser;
let page: Page;
let smtp: SMTPServer;
const received: Array<{ to: string[]; raw: string }> = [];
const saved = { host: process.env.BEACON_SMTP_HOST, port: process.env.BEACON_SMTP_PORT };

const TITLE = 'Alert: e2e nitazene batch';
const SECRET = { name: 'Rosa Quill', postcode: 'BB1 7QZ', dob: '14/02/1979', nhs: '943 476 5919' };

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, '') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  process.env.BEACON_SMTP_HOST = '127.0.0.1';
  process.env.BEACON_SMTP_PORT = String((smtp.server.address() as AddressInfo).port);
  await ensureWebBuild();
  app = await startTestApp({ demo: true });
  browser = await launchBrowser(app.url);
  page = browser.page;
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  if (saved.host === undefined) delete process.env.BEACON_SMTP_HOST;
  else process.env.BEACON_SMTP_HOST = saved.host;
  if (saved.port === undefined) delete process.env.BEACON_SMTP_PORT;
  else process.env.BEACON_SMTP_PORT = saved.port;
});

const h1 = (name: RegExp) => page.getByRole('heading', { level: 1, name });

async function expectAccessible(name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await axeViolations(page), `axe violations on ${name} (desktop)`).toEqual([]);
  await page.setViewportSize(VIEWPORTS.phone);
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
  expect(await axeViolations(page), `axe violations on ${name} (phone)`).toEqual([]);
  expect(await horizontalOverflow(page), `${name} is wider than a phone screen`).toBeLessThanOrEqual(0);
  await page.setViewportSize(VIEWPORTS.desktop);
  await screenshots(page, `alerts-${name}`);
  expect(browser.problems, `problems on ${name}`).toEqual([]);
  expect(await cspViolations(page), `CSP on ${name}`).toEqual([]);
  expect(await page.locator('style').count(), `<style> on ${name}`).toBe(0);
}

async function signIn(username: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(app.credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

let alertUrl = '';

describe('alerts', () => {
  test('the coordinator sees the demo alerts and drafts a new one from the template', async () => {
    await signIn('ldis');
    await page.goto(`${app.url}/alerts`);
    await h1(/Alerts and information shares/).waitFor();
    const table = page.getByTestId('alerts-table');
    await table.waitFor();
    expect(await table.innerText()).toContain('nitazenes in the heroin supply');
    await expectAccessible('list');

    await page.getByRole('navigation', { name: 'Alerts' }).getByRole('link', { name: 'Draft an alert' }).click();
    await h1(/Draft an alert/).waitFor();
    await page.getByLabel('The blank template').check();
    await page.getByLabel('Title (optional)').fill(TITLE);
    await expectAccessible('new');
    await page.getByRole('button', { name: 'Draft from the template' }).click();
    await h1(/Edit the alert/).waitFor();
    alertUrl = page.url().replace(/\/edit$/, '');
    await page.getByLabel('What', { exact: true }).fill(
      `Ms ${SECRET.name} (date of birth ${SECRET.dob}, NHS number ${SECRET.nhs}) of 22 Mill Lane, ${SECRET.postcode}, was one of 3 overdoses in the hostel after using brown sold as heroin.`,
    );
    await page.getByLabel('When', { exact: true }).fill('Over the weekend of 4 and 5 May.');
    await page.getByRole('button', { name: 'Add a figure' }).click();
    await page.getByLabel('Figure 1: what is counted').fill('Overdoses in the hostel, last 7 days');
    await page.getByLabel('Count', { exact: true }).fill('3');
    await expectAccessible('edit');
    await page.getByRole('button', { name: 'Save the alert' }).click();
    await page.waitForURL(alertUrl);
    await page.getByRole('button', { name: 'Send for approval' }).click();
    await page.getByText('Awaiting approval').first().waitFor();
    // The author cannot approve their own alert: the button is not offered to the coordinator's role.
    expect(await page.getByRole('button', { name: /Approve version/ }).count()).toBe(0);
  });

  test('a panel member sees the three copies side by side and approves', async () => {
    await signIn('panel');
    await page.goto(alertUrl);
    await page.getByTestId('tiers').waitFor();
    const panelCopy = await page.getByTestId('copy-panel').innerText();
    const partners = await page.getByTestId('copy-partners').innerText();
    const pub = await page.getByTestId('copy-public').innerText();
    expect(panelCopy).toContain(SECRET.name);
    for (const copy of [partners, pub]) {
      for (const secret of Object.values(SECRET)) expect(copy).not.toContain(secret);
      expect(copy).toContain('BB1');
    }
    expect(partners).toContain('fewer than 8 overdoses');
    await expectAccessible('approve');
    await page.getByRole('button', { name: 'Approve version 1' }).click();
    await page.getByText('Approved', { exact: true }).first().waitFor();
  });

  test('the coordinator issues it; each list receives its own copy over SMTP, and nobody else', async () => {
    await signIn('ldis');
    await page.goto(alertUrl);
    const before = received.length;
    await page.getByRole('button', { name: 'Issue version 1' }).click();
    await page.getByTestId('delivery-table').waitFor();
    await expect.poll(() => received.slice(before).filter((m) => m.raw.includes('e2e nitazene batch')).length, { timeout: 15_000 }).toBe(8);
    const mine = received.slice(before).filter((m) => m.raw.includes('e2e nitazene batch'));
    const lists = (await (await page.request.get(`${app.url}/api/alerts/lists`)).json()) as { lists: Array<{ tier: string; members: Array<{ email: string }> }> };
    const expected = lists.lists.flatMap((l) => l.members.map((m) => `${l.tier}:${m.email}`)).sort();
    const tierOf = (raw: string) => (/Panel \(full\)/.test(raw) ? 'panel' : /Public bulletin/.test(raw) ? 'public' : 'partners');
    expect(mine.map((m) => `${tierOf(m.raw)}:${m.to.join(',')}`).sort()).toEqual(expected);
    for (const m of mine.filter((x) => tierOf(x.raw) !== 'panel')) for (const secret of Object.values(SECRET)) expect(m.raw).not.toContain(secret);
    expect(mine.find((m) => tierOf(m.raw) === 'panel')?.raw).toContain(SECRET.name);
    await page.reload();
    await page.getByTestId('delivery-table').waitFor();
    expect(await page.getByTestId('delivery-table').getByText('Sent', { exact: true }).count()).toBe(8);
    await expectAccessible('issued');

    await page.goto(`${app.url}/alerts/distribution`);
    await h1(/Distribution/).waitFor();
    await expectAccessible('distribution');
  });

  test('a PIN member sees only the redacted copy and the disclosure-controlled PIN report', async () => {
    await signIn('pin');
    await page.goto(`${app.url}/alerts`);
    await page.getByTestId('alerts-table').waitFor();
    await page.getByRole('link', { name: /e2e nitazene batch/ }).click();
    await page.getByTestId('copy-partners').waitFor();
    const text = await page.locator('main').innerText();
    for (const secret of Object.values(SECRET)) expect(text).not.toContain(secret);
    expect(await page.getByTestId('copy-panel').count()).toBe(0);
    await expectAccessible('pin-alert');
    const id = alertUrl.split('/').pop() ?? '';
    expect((await page.request.get(`${app.url}/api/alerts/${id}`)).status()).toBe(403);

    await page.goto(`${app.url}/alerts/pin-reports`);
    await page.getByTestId('pin-reports-table').waitFor();
    await expectAccessible('pin-reports');
    await page.getByTestId('pin-reports-table').getByRole('link').first().click();
    await page.getByTestId('pin-summary').waitFor();
    expect(await page.locator('main').innerText()).toContain('Partners and PIN (redacted)');
    await page.getByRole('img', { name: /Line chart/ }).locator('canvas').waitFor();
    const cells = await page.getByTestId('table-submissions').locator('td').allInnerTexts();
    for (const c of cells) if (/^\d+$/.test(c.trim())) expect(Number(c) === 0 || Number(c) >= 8, `cell ${c}`).toBe(true);
    await expectAccessible('pin-report');
  });
});
