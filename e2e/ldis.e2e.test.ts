import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp } from '../src/testing/app';
import { axeViolations, cspViolations, horizontalOverflow, launchBrowser, screenshots, VIEWPORTS, type Browser } from './support/browser';
import { ensureWebBuild } from './support/build';

/**
 * The LDIS end to end over the demo dataset (with its fresh partner reports): a partner
 * files a report on a phone-sized screen and sees only their organisation's reports; the
 * coordinator links two reports of the same overdose, undoes and redoes nothing by
 * accident, records an assessment and a decision, downloads the case list, sees the
 * data-flow gaps and creates a partner API token. Every page passes axe at desktop and
 * phone widths, with no console error, CSP violation or horizontal overflow.
 */

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
let app: TestApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await ensureWebBuild();
  app = await startTestApp({ demo: true });
  browser = await launchBrowser(app.url);
  page = browser.page;
  page.setDefaultTimeout(20_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const heading = (name: RegExp) => page.getByRole('heading', { level: 1, name });

async function expectClean(name: string): Promise<void> {
  expect(browser.problems, `problems on ${name}`).toEqual([]);
  expect(await cspViolations(page), `CSP violations on ${name}`).toEqual([]);
  expect(await page.locator('style').count(), `<style> elements on ${name}`).toBe(0);
}

async function expectAccessible(name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const original = page.viewportSize() ?? VIEWPORTS.desktop;
  await page.setViewportSize(VIEWPORTS.desktop);
  expect(await axeViolations(page), `axe violations on ${name} (desktop)`).toEqual([]);
  await page.setViewportSize(VIEWPORTS.phone);
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
  expect(await axeViolations(page), `axe violations on ${name} (phone)`).toEqual([]);
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.parentElement?.closest('.beacon-table-scroll'))
      .slice(0, 5)
      .map((e) => `${e.tagName}.${e.className}: ${(e.textContent ?? '').slice(0, 60)}`),
  );
  expect(await horizontalOverflow(page), `${name} is wider than a phone screen: ${wide.join(' | ')}`).toBeLessThanOrEqual(0);
  await screenshots(page, `ldis-${name}`);
  await page.setViewportSize(original);
  await expectClean(name);
}

/** Signs in and lands on `next` (a partner's home page asks for figures partners may not see). */
async function signIn(username: string, next: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${app.url}/sign-in?next=${encodeURIComponent(next)}`);
  // A busy machine can take a while to answer the first requests of a fresh page.
  await page.getByLabel('Username').waitFor({ timeout: 60_000 });
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(app.credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

async function count(sql: string, params: string[] = []): Promise<number> {
  const r = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return r[0]?.n ?? -1;
}

describe('LDIS pages', () => {
  test('a partner files a report on a phone: errors first, then the confirmation with a reference', async () => {
    await page.setViewportSize(VIEWPORTS.phone);
    await signIn('police', '/ldis/report');
    await heading(/Report an incident/).waitFor();
    await expectAccessible('report-form');
    await page.setViewportSize(VIEWPORTS.phone);

    // Nothing chosen: the error summary names what is missing, and nothing is saved.
    const before = await count(`ldis_submissions WHERE partner = 'police'`);
    await page.getByLabel('Which area?').fill('');
    await page.getByRole('button', { name: 'Send report' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    await expect.poll(() => summary.innerText()).toContain('Select what happened');
    expect(await summary.innerText()).toContain('ONS local authority code');
    await page.screenshot({ path: '/tmp/beacon-shots/ldis-report-form-errors-phone.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(await count(`ldis_submissions WHERE partner = 'police'`)).toBe(before);

    // The quick path: what, when (today by default), where, who (police by default), and a few Op Mabble items.
    await page.getByLabel('Non-fatal overdose').check();
    await page.getByLabel('Which area?').fill('E06000008');
    await page.getByLabel('Age').fill('31');
    await page.locator('#synthetic_opioid_suspected').getByLabel('Yes').check();
    await page.getByLabel('Substances').fill('heroin; nitazene');
    await page.getByLabel('Taken to hospital').check();
    await page.getByRole('button', { name: 'Send report' }).click();
    await heading(/Report sent/).waitFor();
    const reference = await page.getByTestId('reference').innerText();
    expect(reference).toMatch(/^WEB-/);
    expect(await count(`ldis_submissions WHERE partner = 'police' AND partner_report_id = $1`, [reference])).toBe(1);
    await expectAccessible('report-sent');

    // Their own organisation's reports only.
    await page.getByRole('link', { name: /See your organisation/ }).click();
    await heading(/Your organisation/).waitFor();
    await expect.poll(() => page.getByRole('link', { name: reference }).count()).toBe(1);
    expect(await page.getByText('ED-77310').count()).toBe(0);
    await expectAccessible('my-reports');
    // And not the coordinator's inbox.
    const inbox = await page.request.get(`${app.url}/api/ldis/inbox`);
    expect(inbox.status()).toBe(403);
  });

  test('the coordinator sees the inbox with levels, duplicates and timers, links two reports and decides', async () => {
    await page.setViewportSize(VIEWPORTS.desktop);
    await signIn('ldis', '/ldis');
    await heading(/Inbox/).waitFor();
    const table = page.getByTestId('inbox-table');
    await table.waitFor();
    expect(await table.getByText('Overdue').count()).toBeGreaterThan(0);
    expect(await table.getByText('Exercise').count()).toBeGreaterThan(0);
    expect(await table.getByText(/Likely \(\d+%\)/).count()).toBeGreaterThan(0);
    await expectAccessible('inbox');

    // The ambulance call-out: candidates with their scores; link the A&E attendance.
    await table.getByRole('link', { name: /Ambulance call-out/ }).first().click();
    await heading(/Ambulance call-out/).waitFor();
    const candidates = page.getByTestId('candidates');
    await candidates.waitFor();
    const edRow = candidates.locator('tr', { hasText: 'A&E (emergency department)' });
    await edRow.getByRole('button', { name: /as the same event/ }).click();
    await page.getByText(/This report is one of 2 reports of the same event/).waitFor();
    await expectAccessible('report-linked');
    // The merge can be undone, and done again: both are kept in the history.
    await page.getByRole('button', { name: /^Undo/ }).first().click();
    await page.getByText('This report is not linked with any other.').waitFor();
    await page.getByTestId('candidates').locator('tr', { hasText: 'A&E (emergency department)' }).getByRole('button', { name: /as the same event/ }).click();
    await page.getByText(/This report is one of 2 reports of the same event/).waitFor();
    expect(await count(`ldis_linkage_ops`)).toBe(3);

    // Assess (grading questions) and decide with a rationale, in one go.
    await page.getByRole('heading', { name: 'Assess this report' }).waitFor();
    await page.getByRole('button', { name: 'Record the assessment' }).click();
    await page.locator('.nhsuk-error-summary').getByText(/How relevant is this to our area/).waitFor();
    await page.locator('#local_relevance').getByLabel('Happened in our area').check();
    await page.locator('#geographic_extent').getByLabel('One local authority area').check();
    await page.locator('#likelihood_of_spread').getByLabel('High').check();
    await page.locator('#plausibility').getByLabel('Consistent with other reports or known trends').check();
    await page.locator('#source_type').getByLabel(/Professional with direct knowledge/).check();
    await page.locator('#decision').getByLabel('Share for information').check();
    await page.getByLabel('Rationale').fill('Three doses of naloxone and nitazene testing under way: partners should know.');
    await page.getByRole('button', { name: 'Record the assessment' }).click();
    await page.getByRole('heading', { name: 'Assessment and decision' }).waitFor();
    await page.getByText('Decision: Share for information').waitFor();
    const audited = await count(`audit_log WHERE action = 'ldis.assess' AND username = 'ldis' AND outcome = 'allowed'`);
    expect(audited).toBeGreaterThanOrEqual(1);

    // Toxicology arrives: a revision with its history.
    await page.getByText('Toxicology, forensic or coronial findings have arrived').click();
    await page.locator('#rev-tox_nitazene_present').getByLabel('Yes').check();
    await page.getByLabel('What is the new information?').fill('Hospital toxicology: protonitazene detected.');
    await page.getByRole('button', { name: 'Save the update' }).click();
    await page.getByRole('heading', { name: 'Revision history' }).waitFor();
    await expectAccessible('report-decided');
  });

  test('the case list (with XLSX), data-flow gaps, partner tokens and file import', async () => {
    await page.setViewportSize(VIEWPORTS.desktop);
    await signIn('ldis', '/ldis/cases');
    await heading(/Incident case list/).waitFor();
    await page.getByTestId('case-list').waitFor();
    await expectAccessible('case-list');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /Download the case list/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^ldis-case-list-.*\.xlsx$/);

    await page.goto(`${app.url}/ldis/gaps`);
    await heading(/Data-flow gaps/).waitFor();
    await page.getByTestId('gaps-items').waitFor();
    expect(await page.getByTestId('gaps-items').getByText('Never reported').count()).toBeGreaterThan(0);
    await expectAccessible('gaps');

    await page.goto(`${app.url}/ldis/partners`);
    await heading(/Partner API tokens/).waitFor();
    await page.getByLabel('Partner organisation').fill('west-midlands-police');
    await page.getByLabel('What is it for?').fill('Niche RMS export');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token');
    await shown.waitFor();
    const token = (await shown.locator('code').innerText()).trim();
    expect(token).toMatch(/^bcn_ldis_/);
    await expectAccessible('partners');
    // The token works for a partner system, without a session.
    const res = await fetch(`${app.url}/api/ldis/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ partner_report_id: 'NICHE-1', source: 'police', event_date: '2026-01-05', event_type: 'seizure_test', local_authority: 'E06000008' }),
    });
    expect(res.status).toBe(201);

    await page.goto(`${app.url}/ldis/import`);
    await heading(/Import partner reports/).waitFor();
    await page.getByLabel('Partner organisation').fill('hostel-partnership');
    await page.locator('#file').setInputFiles({
      name: 'hostel.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('report_id,received_at,source,event_date,event_type,local_authority,age\nH-1,2026-01-05T10:00:00Z,hostel,2026-01-05,naloxone_administration,E06000008,abc\n'),
    });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByTestId('import-problems').waitFor();
    expect(await page.getByTestId('import-problems').innerText()).toContain('hostel.csv');
    expect(await count(`ldis_submissions WHERE partner = 'hostel-partnership' AND partner_report_id = 'H-1'`)).toBe(0);
    // Chromium logs the rejected upload's 400 answer: expected here, and only here.
    const rejected = browser.problems.filter((p) => /status of 400/.test(p));
    expect(rejected).toHaveLength(1);
    browser.problems.splice(0, browser.problems.length, ...browser.problems.filter((p) => !/status of 400/.test(p)));
    await expectAccessible('import-problems');
  });
});
