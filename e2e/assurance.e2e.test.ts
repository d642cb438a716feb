import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp } from '../src/testing/app';
import { axeViolations, horizontalOverflow, launchBrowser, screenshots, VIEWPORTS, type Browser } from './support/browser';
import { ensureWebBuild } from './support/build';

/**
 * Partnership assurance end to end over the demo: the audits list, starting an audit,
 * rating an item, exporting XLSX and PDF, the plan and the needs assessment. Every page
 * passes axe at desktop and phone widths without widening the phone screen.
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
  page.setDefaultTimeout(30_000);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signIn(username: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(app.credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

async function expectAccessible(name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await axeViolations(page), `axe violations on ${name} (desktop)`).toEqual([]);
  await page.setViewportSize(VIEWPORTS.phone);
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
  expect(await axeViolations(page), `axe violations on ${name} (phone)`).toEqual([]);
  const overflow = await horizontalOverflow(page);
  if (overflow > 0) {
    // Name what sticks out, so a failure says where to look.
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.beacon-assurance-scroll *'))
        .slice(0, 8)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().width)}px`),
    );
    await page.screenshot({ path: `/tmp/assurance-overflow-${name}.png`, fullPage: true });
    expect(wide, `${name} is wider than a phone screen by ${overflow}px`).toEqual([]);
  }
  await page.setViewportSize(VIEWPORTS.desktop);
  await screenshots(page, `assurance-${name}`);
  expect(await page.locator('style').count(), `<style> elements on ${name}`).toBe(0);
}

test('a service manager starts an audit, rates an item and exports it', async () => {
  await signIn('manager');
  await page.goto(`${app.url}/assurance`);
  await page.getByRole('heading', { level: 1, name: /Self-audits/ }).waitFor();
  await expect.poll(() => page.getByRole('link', { name: 'Harm reduction self-audit' }).count()).toBe(2);
  await expectAccessible('home');

  await page.getByLabel('Title').fill('E2E audit');
  await page.getByRole('button', { name: 'Start the audit' }).click();
  await page.waitForURL(/\/assurance\/audits\/\d+$/);
  const auditUrl = page.url();
  await page.getByRole('heading', { level: 1, name: /E2E audit/ }).waitFor();
  await expectAccessible('audit');

  await page.getByRole('link', { name: 'Rate or update item hr-1.1' }).click();
  await page.getByRole('heading', { level: 1, name: 'Rate this item' }).waitFor();
  await expectAccessible('item');
  await page.getByLabel('Red', { exact: true }).check();
  await page.getByLabel('Issues / comments').fill('No multi-agency strategy yet');
  await page.getByRole('button', { name: 'Save the rating' }).click();
  await page.waitForURL((u) => u.pathname === new URL(auditUrl).pathname);
  await expect.poll(() => page.getByTestId('rag-counts').textContent()).toMatch(/^Red 1, Amber 0/);
  await expect.poll(() => page.getByText('No multi-agency strategy yet').count()).toBe(1);

  const id = new URL(auditUrl).pathname.split('/').pop();
  const xlsx = await page.request.get(`${app.url}/api/assurance/audits/${id}/export.xlsx`);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
  const pdf = await page.request.get(`${app.url}/api/assurance/audits/${id}/export.pdf`);
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
}, 180_000);

test('the coordinator sees the plan with its triggers and the needs assessment', async () => {
  await signIn('ldis');
  await page.goto(`${app.url}/assurance/plan`);
  await page.getByRole('heading', { level: 2, name: 'Triggers' }).waitFor();
  expect(await page.getByText('Lee LDIS-Coordinator', { exact: false }).count()).toBeGreaterThan(0);
  await expectAccessible('plan');
  const pdf = await page.request.get(`${app.url}/api/assurance/plan/export.pdf`);
  expect(pdf.status()).toBe(200);
  await page.goto(`${app.url}/assurance/needs`);
  await page.getByRole('table', { name: /Reach of treatment/ }).waitFor();
  await expectAccessible('needs');
}, 180_000);

test('a coordinator enters, changes and imports needs-assessment figures; penetration follows', async () => {
  await signIn('ldis');
  await page.goto(`${app.url}/assurance/needs`);
  await page.getByRole('heading', { level: 2, name: 'Prevalence estimates' }).waitFor();
  const la = (await app.db.query<{ la: string }>('SELECT local_authority AS la FROM services ORDER BY service_id LIMIT 1'))[0]!.la;
  const before = await page.getByTestId('penetration').textContent();

  // An empty form: the NHS.UK error summary links to each field.
  await page.getByRole('button', { name: 'Add the estimate' }).click();
  const summary = page.locator('.nhsuk-error-summary');
  await summary.waitFor();
  expect(await summary.getByRole('link', { name: /estimate as a number/ }).count()).toBe(1);
  await expectAccessible('needs-errors');

  await page.getByLabel('Area', { exact: true }).fill(la);
  await page.getByLabel('Group of people who use drugs').selectOption('opiates_crack');
  await page.getByLabel('Estimated number of people').fill('123');
  await page.getByLabel('Year of the estimate').fill('2099/00');
  await page.locator('#prev-source').fill('E2E estimate');
  await page.getByRole('button', { name: 'Add the estimate' }).click();
  await page.getByText('Estimate added. Penetration has been worked out again.').waitFor();
  await expect.poll(() => page.getByRole('cell', { name: '2099/00; E2E estimate', exact: true }).count()).toBe(1);
  await expect.poll(() => page.getByTestId('penetration').textContent()).not.toBe(before);
  expect(await page.getByTestId('penetration').textContent()).toContain(la);

  // Change it: penetration is worked out again from the new estimate.
  const withNew = await page.getByTestId('penetration').textContent();
  await page.getByRole('button', { name: `Change the estimate for ${la}, Opiate and/or crack users (OCU), 2099/00` }).click();
  await page.getByLabel('Estimated number of people').fill('246');
  await page.getByRole('button', { name: 'Save the estimate' }).click();
  await page.getByText('Estimate changed. Penetration has been worked out again.').waitFor();
  await expect.poll(() => page.getByTestId('penetration').textContent()).not.toBe(withNew);

  // A CSV file with a bad line: every problem listed, nothing saved; then a good one.
  await page.locator('#needs-file').setInputFiles({ name: 'prev.csv', mimeType: 'text/csv', buffer: Buffer.from(`area,substance,estimate,year,source\n${la},heroin,10,2099/00,x\n`) });
  await page.getByRole('button', { name: 'Import the file' }).click();
  await page.getByTestId('needs-import-problems').waitFor();
  expect(await page.getByTestId('needs-import-problems').textContent()).toContain('substance');
  await expectAccessible('needs-import-problems');
  await page.locator('#needs-file').setInputFiles({ name: 'comp.csv', mimeType: 'text/csv', buffer: Buffer.from('measure,level,value,period,source\npenetration,national,47,2022/23,E2E national figure\n') });
  await page.getByRole('button', { name: 'Import the file' }).click();
  await page.getByText('1 comparator: 1 new, 0 already stored').waitFor();
  await expect.poll(() => page.getByRole('cell', { name: '2022/23; E2E national figure', exact: true }).count()).toBe(1);
  await expectAccessible('needs-forms');

  // Delete asks first, naming the estimate, in a warning callout that takes focus.
  const estimate = `the estimate for ${la}, Opiate and/or crack users (OCU), 2099/00`;
  const row = page.getByRole('cell', { name: '2099/00; E2E estimate', exact: true });
  const deleteLink = page.getByRole('button', { name: `Delete ${estimate}`, exact: true });
  const confirm = page.getByTestId('confirm-delete');
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
  await page.locator('#prev-source').fill('Typed, not saved');
  await deleteLink.click();
  await confirm.getByRole('heading', { name: `Important: Are you sure you want to delete ${estimate}?` }).waitFor();
  expect(await confirm.textContent()).toContain('246 people, 2099/00; E2E estimate');
  expect(await focused()).toContain(`Are you sure you want to delete ${estimate}?`);
  expect(await confirm.locator('.nhsuk-button--warning').textContent()).toBe('Delete');
  await expectAccessible('needs-confirm-delete');

  // Cancel leaves everything as it was: the row, the half-typed form, focus on the link.
  await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
  expect(await confirm.count()).toBe(0);
  expect(await row.count()).toBe(1);
  expect(await page.locator('#prev-source').inputValue()).toBe('Typed, not saved');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('class'))).toBe('beacon-assurance-link');
  expect(await focused()).toBe(`Delete ${estimate}`);

  // By keyboard: Enter on the link asks, Escape cancels (focus back on the link), Tab reaches the red button, Enter deletes.
  await page.keyboard.press('Enter');
  await confirm.waitFor();
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'detached' });
  expect(await row.count()).toBe(1);
  expect(await focused()).toBe(`Delete ${estimate}`);
  await page.keyboard.press('Enter');
  await confirm.waitFor();
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('Delete');
  await page.keyboard.press('Enter');
  await page.getByText('Estimate deleted. Penetration has been worked out again.').waitFor();
  await expect.poll(() => row.count()).toBe(0);
  expect(await confirm.count()).toBe(0);
  expect(await focused()).toBe('Estimate deleted. Penetration has been worked out again.');
  await page.locator('#prev-source').fill('');
}, 240_000);

test('a coordinator keeps the partner directory and edits the plan into a new version with its changes shown', async () => {
  await signIn('ldis');
  await page.goto(`${app.url}/assurance/partners`);
  await page.getByRole('heading', { level: 1, name: /Partner directory/ }).waitFor();
  await page.getByRole('button', { name: 'Add the partner' }).click();
  await page.locator('.nhsuk-error-summary').waitFor();
  await page.getByLabel('Organisation', { exact: true }).fill('E2E Hostel Trust');
  await page.getByLabel('Contact name (optional)').fill('Hana Hostel');
  await page.getByLabel('Email (optional)').fill('hana@example.org');
  await page.getByRole('button', { name: 'Add the partner' }).click();
  await page.getByText('E2E Hostel Trust added to the directory.').waitFor();
  await expectAccessible('partners');

  // Remove asks first; Cancel keeps the partner, Remove takes it out of the directory.
  await page.getByLabel('Organisation', { exact: true }).fill('E2E Removals Ltd');
  await page.getByRole('button', { name: 'Add the partner' }).click();
  await page.getByText('E2E Removals Ltd added to the directory.').waitFor();
  const confirm = page.getByTestId('confirm-delete');
  await page.getByRole('button', { name: 'Remove E2E Removals Ltd', exact: true }).click();
  await confirm.getByRole('heading', { name: 'Important: Are you sure you want to remove E2E Removals Ltd from the directory?' }).waitFor();
  await expectAccessible('partners-confirm-remove');
  await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
  expect(await confirm.count()).toBe(0);
  expect(await page.getByRole('cell', { name: /^E2E Removals Ltd/ }).count()).toBe(1);
  await page.getByRole('button', { name: 'Remove E2E Removals Ltd', exact: true }).click();
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await page.getByText('E2E Removals Ltd removed from the directory.').waitFor();
  await expect.poll(() => page.getByRole('cell', { name: /^E2E Removals Ltd/ }).count()).toBe(0);

  await page.goto(`${app.url}/assurance/plan`);
  const version = Number((await page.getByText(/^Version \d+, /).first().textContent())?.match(/Version (\d+)/)?.[1]);
  await page.getByRole('link', { name: 'Change the plan' }).click();
  await page.getByRole('heading', { level: 1, name: /Change the plan/ }).waitFor();
  // Triggers are shown from early warning, not typed in.
  expect(await page.getByTestId('plan-edit-triggers').locator('li').count()).toBeGreaterThan(0);
  await page.locator('#chair-name').fill('Chris E2E-Chair');
  await page.locator('#chair-email').fill('not an email');
  await page.getByRole('button', { name: 'Save a new version' }).click();
  await page.locator('.nhsuk-error-summary').waitFor();
  expect(await page.locator('.nhsuk-error-summary').getByRole('link').first().getAttribute('href')).toBe('#chair-email');
  await page.locator('#chair-email').fill('chris@example.org');
  await page.getByLabel('E2E Hostel Trust (Hana Hostel)').first().check();
  await page.getByRole('button', { name: 'Add an escalation contact' }).click();
  await page.locator('input[id^="lrf-"][id$="-name"]').last().fill('Lara LRF');
  await page.getByLabel('Audiences, one per line').fill('Specialist drug treatment services\nE2E audience');
  await page.getByLabel('What changed and why').fill('E2E: new chair');
  await expectAccessible('plan-edit');
  await page.getByRole('button', { name: 'Save a new version' }).click();
  await page.waitForURL(/\/assurance\/plan\?saved=\d+$/);
  await page.getByText(`Saved as version ${version + 1}.`).waitFor();
  expect(await page.getByText('Chris E2E-Chair', { exact: false }).count()).toBeGreaterThan(0);
  const latest = page.getByTestId('plan-versions').locator('li').first();
  expect(await latest.textContent()).toContain(`Version ${version + 1}`);
  await latest.locator('summary').click();
  expect(await latest.textContent()).toContain('chair.name');
  expect(await latest.textContent()).toContain('Chris E2E-Chair');
  await expectAccessible('plan-versions');

  // A partner the plan now invites cannot be removed: the refusal shows in the question; Cancel clears it and keeps the partner.
  await page.goto(`${app.url}/assurance/partners`);
  await page.getByRole('button', { name: 'Remove E2E Hostel Trust', exact: true }).click();
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await confirm.locator('.nhsuk-error-summary').waitFor();
  await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
  expect(await page.locator('.nhsuk-error-summary').count()).toBe(0);
  expect(await page.getByRole('cell', { name: /^E2E Hostel Trust/ }).count()).toBe(1);
}, 240_000);

test('a service manager marks an action done and reopens it from the item page', async () => {
  await signIn('manager');
  await page.goto(`${app.url}/assurance`);
  await page.getByLabel('Title').fill('E2E actions audit');
  await page.getByRole('button', { name: 'Start the audit' }).click();
  await page.waitForURL(/\/assurance\/audits\/\d+$/);
  await page.getByRole('link', { name: 'Rate or update item hr-1.1' }).click();
  await page.getByRole('heading', { level: 1, name: 'Rate this item' }).waitFor();
  await page.getByLabel('Action', { exact: true }).fill('Draft the harm-reduction strategy');
  await page.getByLabel('Owner').fill('DAT lead');
  await page.getByRole('button', { name: 'Add the action' }).click();
  const actions = page.getByTestId('item-actions');
  await actions.waitFor();
  await actions.getByRole('button', { name: /^Mark as done/ }).click();
  await page.getByText('Marked done: Draft the harm-reduction strategy').waitFor();
  await expect.poll(() => actions.locator('.nhsuk-tag').first().textContent()).toBe('Done');
  await expectAccessible('item-actions');
  await actions.getByRole('button', { name: /^Reopen/ }).click();
  await expect.poll(() => actions.locator('.nhsuk-tag').first().textContent()).toBe('Open');
}, 180_000);

test('the coordinator starts a trial run, follows it, records what happened and closes it', async () => {
  await signIn('ldis');
  await page.goto(`${app.url}/assurance/plan`);
  await page.getByLabel('Scenario').fill('E2E drill: nitazene cluster');
  await page.getByRole('button', { name: 'Start the trial run' }).click();
  await page.waitForURL(/\/assurance\/plan\/trial-runs\/\d+$/);
  await page.getByRole('heading', { level: 1, name: /E2E drill: nitazene cluster/ }).waitFor();
  expect(await page.getByTestId('trial-summary').textContent()).toContain('3 of 3');
  expect(await page.getByRole('button', { name: 'Close the trial run' }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Record what happened' }).click();
  await page.locator('.nhsuk-error-summary').waitFor();
  await expectAccessible('trial-run-errors');
  await page.getByLabel('What happened').fill('The inbox picked up all three drill reports within the hour.');
  await page.getByLabel('What to improve').fill('Add a deputy coordinator for weekends.');
  await page.getByRole('button', { name: 'Record what happened' }).click();
  await page.getByText('Recorded.').waitFor();
  await expectAccessible('trial-run');
  await page.getByRole('button', { name: 'Close the trial run' }).click();
  await page.getByText('Closed', { exact: true }).first().waitFor();
  await expect.poll(() => page.getByText('Add a deputy coordinator for weekends.').count()).toBe(1);
  expect(await page.getByRole('button', { name: 'Record what happened' }).count()).toBe(0);
}, 180_000);
