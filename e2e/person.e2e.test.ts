import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp } from '../src/testing/app';
import { axeViolations, cspViolations, horizontalOverflow, launchBrowser, screenshots, VIEWPORTS, type Browser } from './support/browser';
import { ensureWebBuild } from './support/build';

/**
 * The person record, caseload and advisories end to end over the demo dataset: the
 * caseload sorted by tier as the API says; a person's record with the dose chart, the risk
 * profile and its evidence; recording a care-plan action against a flag (planned → done,
 * and declined with a reason); capturing a risk event that changes the profile at once.
 * Every page passes axe at desktop and phone widths (and is photographed at desktop,
 * tablet and phone into /tmp/beacon-shots/), with no console error or CSP violation.
 */

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

interface CaseloadBody {
  totals: { people: number; high: number };
  people: { person_id: string; tier: string; flags: string[]; open_actions: number; next_action_due: string | null; next_action_overdue: boolean }[];
}
interface RecordBody {
  profile: { tier: string; flags: { code: string }[] };
  care_actions: { id: number; flag: string; status: string; declined_reason: string | null }[];
}

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

async function apiGet<T>(path: string): Promise<T> {
  const response = await page.request.get(`${app.url}${path}`);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

async function expectAccessible(name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await axeViolations(page), `axe violations on ${name} (desktop)`).toEqual([]);
  for (const [label, size] of [['tablet', VIEWPORTS.tablet], ['phone', VIEWPORTS.phone]] as const) {
    await page.setViewportSize(size);
    await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
    expect(await horizontalOverflow(page), `${name} is wider than ${size.width}px`).toBeLessThanOrEqual(0);
    expect(await axeViolations(page), `axe violations on ${name} (${label})`).toEqual([]);
  }
  await page.setViewportSize(VIEWPORTS.desktop);
  await screenshots(page, `person-${name}`);
  expect(browser.problems, `problems on ${name}`).toEqual([]);
  expect(await cspViolations(page), `CSP violations on ${name}`).toEqual([]);
  expect(await page.locator('style').count(), `<style> elements on ${name}`).toBe(0);
}

async function csrfToken(): Promise<string> {
  return ((await apiGet<{ csrfToken?: string }>('/api/auth/me')).csrfToken ?? '');
}

async function signIn(username: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(app.credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

describe('person record and caseload', () => {
  let personId = '';

  test('keyworker: /risk is the caseload, sorted by tier as the API says', async () => {
    await signIn('keyworker');
    await page.goto(`${app.url}/risk`);
    await heading(/Caseload by overdose risk/).waitFor();
    const table = page.getByTestId('caseload');
    await table.waitFor();
    const api = await apiGet<CaseloadBody>('/api/caseload');
    expect(api.totals.people).toBeGreaterThan(0);
    expect(await table.locator('tbody tr').count()).toBe(api.people.length);
    const order = ['high', 'medium', 'low'];
    const tiers = api.people.map((p) => p.tier);
    expect(tiers).toEqual([...tiers].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    const first = api.people.find((p) => p.flags.some((f) => f !== 'no_naloxone')) ?? api.people[0]!;
    personId = first.person_id;
    expect(await table.locator('tbody tr').first().locator('th').innerText()).toBe(api.people[0]!.person_id);
    await expectAccessible('caseload');
  });

  test('keyworker: the record shows the profile, evidence and a dose chart with its tables', async () => {
    await page.getByTestId('caseload').getByRole('link', { name: personId, exact: true }).click();
    await heading(new RegExp(`Person ${personId}`)).waitFor();
    const api = await apiGet<RecordBody>(`/api/people/${personId}`);
    await page.getByRole('heading', { level: 2, name: 'Overdose risk profile' }).waitFor();
    expect(await page.locator('[data-flag]').count()).toBe(api.profile.flags.length);
    expect(await page.locator('h1 .nhsuk-tag').innerText()).toMatch(new RegExp(api.profile.tier, 'i'));
    const chart = page.getByRole('img', { name: /Chart of the daily dose prescribed/ });
    await chart.waitFor();
    const box = await chart.locator('canvas').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    await chart.screenshot({ path: '/tmp/beacon-shots/person-dose-chart.png' });
    await page.getByRole('table', { name: /Prescriptions, latest first/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'TOP tracker' }).waitFor();
    await expectAccessible('record');
  });

  test('keyworker: records a care-plan action against a flag, marks it done, and declines another with a reason', async () => {
    const before = await apiGet<RecordBody>(`/api/people/${personId}`);
    const card = page.locator('[data-flag]').first();
    const flag = (await card.getAttribute('data-flag')) ?? '';
    await card.locator('summary', { hasText: 'Record an action' }).click();
    const form = card.getByRole('form', { name: /Record a care-plan action/ });
    await form.getByLabel('Due date (optional)').fill('2030-01-31');
    await form.getByLabel('Owner (optional)').fill('Kim Keyworker');
    await form.getByRole('button', { name: 'Save action' }).click();
    await form.getByRole('status').filter({ hasText: 'Action recorded' }).waitFor();
    let after = await apiGet<RecordBody>(`/api/people/${personId}`);
    expect(after.care_actions.length).toBe(before.care_actions.length + 1);
    const created = after.care_actions.find((a) => !before.care_actions.some((b) => b.id === a.id))!;
    expect(created).toMatchObject({ flag, status: 'planned' });
    const plan = page.getByTestId('care-plan');
    await plan.getByText('Kim Keyworker').waitFor();
    await expectAccessible('record-action');

    // Mark it done from the care-plan table.
    await plan.locator('tr', { hasText: 'Kim Keyworker' }).getByRole('button', { name: /^Mark done/ }).click();
    await expect.poll(async () => (await apiGet<RecordBody>(`/api/people/${personId}`)).care_actions.find((a) => a.id === created.id)?.status).toBe('done');

    // Declined needs a reason: the error summary says so, then it saves.
    await form.getByLabel('Declined').check();
    await form.getByRole('button', { name: 'Save action' }).click();
    await form.locator('.nhsuk-error-summary').getByText('Enter why the action was declined').waitFor();
    await form.getByLabel('Why it was declined').fill('Person already has a plan with their GP');
    await form.getByRole('button', { name: 'Save action' }).click();
    await form.getByRole('status').filter({ hasText: 'Action recorded' }).waitFor();
    after = await apiGet<RecordBody>(`/api/people/${personId}`);
    expect(after.care_actions.some((a) => a.status === 'declined' && a.declined_reason === 'Person already has a plan with their GP')).toBe(true);

    // Open actions are on the worklist.
    await page.goto(`${app.url}/risk/actions`);
    await heading(/Open care-plan actions/).waitFor();
    await expectAccessible('open-actions');

    // An overdue planned action shows on the caseload line: how many are open, the next due date, marked overdue.
    await page.goto(`${app.url}/people/${encodeURIComponent(personId)}`);
    await page.locator('[data-flag]').first().locator('summary', { hasText: 'Record an action' }).click();
    await form.getByLabel('Planned').check();
    await form.getByLabel('Due date (optional)').fill('2025-01-15');
    await form.getByLabel('Owner (optional)').fill('Overdue owner');
    await form.getByRole('button', { name: 'Save action' }).click();
    await form.getByRole('status').filter({ hasText: 'Action recorded' }).waitFor();
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Risk' }).click();
    await page.getByTestId('caseload').waitFor();
    const line = (await apiGet<CaseloadBody>('/api/caseload')).people.find((p) => p.person_id === personId)!;
    expect(line).toMatchObject({ next_action_due: '2025-01-15', next_action_overdue: true });
    const cell = page.getByTestId('caseload').locator('tr', { has: page.getByRole('link', { name: personId, exact: true }) }).getByTestId('caseload-actions');
    await expect.poll(async () => (await cell.innerText()).replace(/\s+/g, ' ')).toContain(`${line.open_actions} open next due 15 Jan 2025 Overdue`);
    // On a tablet the whole caseload fits: its table does not scroll sideways.
    await page.setViewportSize(VIEWPORTS.tablet);
    await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
    expect(await page.getByRole('region', { name: 'Caseload table' }).evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await page.setViewportSize(VIEWPORTS.desktop);
    await expectAccessible('caseload-actions');
  }, 240_000);

  test('keyworker: a non-fatal overdose recorded on the record raises a critical flag at once', async () => {
    await page.goto(`${app.url}/people/${encodeURIComponent(personId)}`);
    await heading(new RegExp(`Person ${personId}`)).waitFor();
    await page.locator('summary', { hasText: 'Record a risk event' }).click();
    const section = page.locator('details', { hasText: 'Record a risk event' });
    await section.getByLabel('What happened').selectOption('non_fatal_overdose');
    await section.getByLabel('Detail (optional)').fill('Told keyworker at appointment');
    await section.getByRole('button', { name: 'Save risk event' }).click();
    await section.getByRole('status').filter({ hasText: 'tier high' }).waitFor();
    await page.locator('[data-flag="recent_overdose"]').getByText('Critical', { exact: true }).waitFor();
    await page.locator('[data-flag="recent_overdose"]').getByText(/Recorded on Beacon by keyworker/).waitFor();
    expect(await page.locator('h1 .nhsuk-tag').innerText()).toMatch(/High/);
    // Invalid input is refused with the import's message.
    await page.locator('summary', { hasText: 'Record a naloxone supply' }).click();
    const nx = page.locator('details', { hasText: 'Record a naloxone supply' });
    await nx.getByLabel('Date').fill('');
    await nx.getByRole('button', { name: 'Save naloxone supply' }).click();
    await nx.locator('.nhsuk-error-summary').getByText('Enter the date').waitFor();
  });

  test('keyworker: a record outside their service offers break-the-glass, which opens it', async () => {
    const rows = await app.db.query<{ person_id: string }>(
      `SELECT p.person_id FROM people p WHERE p.service_id <> (SELECT scope_id FROM users WHERE username = 'keyworker') ORDER BY p.person_id LIMIT 1`,
    );
    const outsider = rows[0]!.person_id;
    expect((await page.request.get(`${app.url}/api/people/${encodeURIComponent(outsider)}`)).status()).toBe(403);
    // Chromium logs the refused request (403) as a console error: expected here.
    const before = browser.problems.length;
    await page.goto(`${app.url}/people/${encodeURIComponent(outsider)}`);
    await heading(new RegExp(`Person ${outsider}`)).waitFor();
    await page.getByText(/not in your services, so their record is closed to you/).waitFor();
    for (let i = browser.problems.length - 1; i >= before; i--) if (/status of 403/.test(browser.problems[i] ?? '')) browser.problems.splice(i, 1);
    const button = page.getByRole('link', { name: 'Emergency access (break the glass)' });
    await button.waitFor();
    expect(await page.locator('[data-flag]').count()).toBe(0);
    await expectAccessible('record-refused');
    await button.click();
    await page.waitForURL(new RegExp(`/people/${outsider}/emergency-access$`));
    await heading(/Emergency access to a record/).waitFor();
    await page.getByLabel('Why do you need to open this record now?').fill('Found unresponsive in our reception; paramedics need the current prescription.');
    await page.getByRole('button', { name: 'Open the record in an emergency' }).click();
    await page.waitForURL(new RegExp(`/people/${outsider}$`));
    await page.getByText('Opened with break-the-glass').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Overdose risk profile' }).waitFor();
    expect(await page.locator('h1 .nhsuk-tag').count()).toBe(1);
    const granted = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'break_glass.use' AND resource_id = $1 AND username = 'keyworker'`, [outsider]);
    expect(granted[0]?.n).toBeGreaterThan(0);
    await expectAccessible('record-break-glass');
  }, 180_000);

  test('prescriber: the dose safety advisories list', async () => {
    await signIn('prescriber');
    await page.goto(`${app.url}/risk/advisories`);
    await heading(/Dose safety advisories/).waitFor();
    await page.waitForLoadState('networkidle');
    await expectAccessible('advisories');

    // The service risk report beside the organisation, with its downloads.
    await page.getByRole('navigation', { name: 'Risk pages' }).getByRole('link', { name: 'Service report' }).click();
    await heading(/Service risk report/).waitFor();
    const summary = page.getByTestId('risk-summary');
    await summary.waitFor();
    const report = await apiGet<{ organisation: { people: number }; services: { service_id: string; people: number }[] }>('/api/risk/report?service=SVC001');
    const first = (await summary.locator('tbody tr').first().innerText()).replace(/\s+/g, ' ');
    expect(first).toContain(`${report.services[0]!.people.toLocaleString('en-GB')} (100.0%)`);
    expect(first).toContain(`${report.organisation.people.toLocaleString('en-GB')} (100.0%)`);
    const csv = await page.request.get(`${app.url}/api/risk/report.csv?service=SVC001`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split('\n').length - 2).toBe((await apiGet<{ people: unknown[] }>('/api/risk/report?service=SVC001')).people.length);
    await expectAccessible('service-report');
  });

  test('administrator: changes a risk window in the app (audited); an invalid one is refused; defaults restored', async () => {
    // Administrators sign in with a second factor; a signed-in session follows the stored role.
    await signIn('data');
    await app.db.query(`UPDATE users SET role = 'administrator' WHERE username = 'data'`);
    await page.goto(`${app.url}/risk/settings`);
    await heading(/Overdose risk settings/).waitFor();
    await page.getByLabel('A release is critical for').fill('15');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const config = await apiGet<{ overrides: Record<string, unknown> }>('/api/risk/config');
    expect(config.overrides.releaseCriticalWindow).toEqual({ amount: 15, unit: 'days' });
    const audited = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'risk.config.write' AND outcome = 'allowed'`);
    expect(audited[0]?.n).toBe(1);
    // A longer critical window than the whole window is refused with the reason.
    await page.getByLabel('A release is critical for').fill('40');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('.nhsuk-error-summary').getByText(/releaseCriticalWindow must not be longer than releaseWindow/).waitFor();
    // Chromium logs the refused request (400) as a console error: expected here, and only here.
    const refused = browser.problems.findIndex((p) => /status of 400/.test(p));
    expect(refused).toBeGreaterThanOrEqual(0);
    browser.problems.splice(refused, 1);
    await page.getByRole('button', { name: 'Restore the defaults' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await page.locator('.nhsuk-error-summary').waitFor({ state: 'detached' });
    await expectAccessible('settings');
    await app.db.query(`UPDATE users SET role = 'data_manager' WHERE username = 'data'`);
  });

  test('administrator: a tier-rule change shows at once on the caseload, the record, the risk report and the MAT worklists', async () => {
    await signIn('data');
    await app.db.query(`UPDATE users SET role = 'administrator' WHERE username = 'data'`);
    const menu = page.getByRole('navigation', { name: 'Menu' });
    const riskNav = page.getByRole('navigation', { name: 'Risk pages' });
    const highRows = () => page.getByTestId('caseload').locator('tbody tr .nhsuk-tag', { hasText: /^High$/ }).count();
    const reportHigh = async () => ((await page.getByTestId('risk-summary').locator('tbody tr', { hasText: 'High risk' }).innerText()).replace(/\s+/g, ' '));
    const worklistOne = () => page.getByTestId('worklist-1').locator('tbody tr').count();
    // Every page is read once first (so the app holds it in its cache), moving inside the app.
    await page.goto(`${app.url}/risk`);
    await page.getByTestId('caseload').waitFor();
    const caseload = await apiGet<CaseloadBody>('/api/caseload');
    expect(await highRows()).toBe(caseload.totals.high);
    const medium = caseload.people.find((p) => p.tier === 'medium')!;
    expect(medium).toBeDefined();
    await page.getByTestId('caseload').getByRole('link', { name: medium.person_id, exact: true }).click();
    await heading(new RegExp(`Person ${medium.person_id}`)).waitFor();
    expect(await page.locator('h1 .nhsuk-tag').innerText()).toMatch(/Medium/);
    await menu.getByRole('link', { name: 'Risk' }).click();
    await riskNav.getByRole('link', { name: 'Service report' }).click();
    await page.getByTestId('risk-summary').waitFor();
    const reportBefore = await reportHigh();
    await menu.getByRole('link', { name: 'MAT' }).click();
    await page.getByRole('navigation', { name: 'MAT pages' }).getByRole('link', { name: 'Priority worklists' }).click();
    await page.getByTestId('mat-worklists').waitFor();
    const p1Before = await worklistOne();

    // The administrator makes "1–2 counted flags" a High rule.
    await menu.getByRole('link', { name: 'Risk' }).click();
    await riskNav.getByRole('link', { name: 'Settings' }).click();
    await heading(/Overdose risk settings/).waitFor();
    await page.locator('#rule-2-tier').selectOption('high');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    try {
      // Caseload: nobody is Medium any more; the High count is the API's.
      await riskNav.getByRole('link', { name: 'Caseload' }).click();
      await page.getByTestId('caseload').waitFor();
      const after = await apiGet<CaseloadBody>('/api/caseload');
      expect(after.totals.high).toBeGreaterThan(caseload.totals.high);
      await expect.poll(highRows).toBe(after.totals.high);
      // The record of the person who was Medium.
      await page.getByTestId('caseload').getByRole('link', { name: medium.person_id, exact: true }).click();
      await heading(new RegExp(`Person ${medium.person_id}`)).waitFor();
      await expect.poll(async () => page.locator('h1 .nhsuk-tag').innerText()).toMatch(/High/);
      // The risk report.
      await menu.getByRole('link', { name: 'Risk' }).click();
      await riskNav.getByRole('link', { name: 'Service report' }).click();
      await page.getByTestId('risk-summary').waitFor();
      const report = await apiGet<{ organisation: { tiers: { high: number } } }>('/api/risk/report');
      await expect.poll(reportHigh).not.toBe(reportBefore);
      expect(await reportHigh()).toContain(report.organisation.tiers.high.toLocaleString('en-GB'));
      // The MAT worklists: more people at High risk in MAT 2 on priority 1, as the API says.
      await menu.getByRole('link', { name: 'MAT' }).click();
      await page.getByRole('navigation', { name: 'MAT pages' }).getByRole('link', { name: 'Priority worklists' }).click();
      await page.getByTestId('mat-worklists').waitFor();
      const { worklists } = await apiGet<{ worklists: { priority: number | string }[] }>('/api/mat/worklists');
      const p1After = worklists.filter((w) => w.priority === 1).length;
      expect(p1After).toBeGreaterThan(p1Before);
      await expect.poll(worklistOne).toBe(p1After);
    } finally {
      await page.request.put(`${app.url}/api/risk/config`, { data: {}, headers: { 'x-csrf-token': await csrfToken() } });
      await app.db.query(`UPDATE users SET role = 'data_manager' WHERE username = 'data'`);
    }
    expect((await apiGet<{ overrides: Record<string, unknown> }>('/api/risk/config')).overrides).toEqual({});
  }, 180_000);

  test('PIN member: /risk is the capability page, not a caseload; a record is refused', async () => {
    await signIn('pin');
    await page.goto(`${app.url}/risk`);
    await heading(/Overdose risk/).waitFor();
    expect(await page.getByTestId('caseload').count()).toBe(0);
    const res = await page.request.get(`${app.url}/api/people/${encodeURIComponent(personId)}`);
    expect(res.status()).toBe(403);
  });
});
