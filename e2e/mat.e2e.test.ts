import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp } from '../src/testing/app';
import { axeViolations, cspViolations, horizontalOverflow, launchBrowser, screenshots, VIEWPORTS, type Browser } from './support/browser';
import { passSecondFactor } from './support/auth';
import { ensureWebBuild } from './support/build';

/**
 * The MAT pages end to end over the demo dataset: the tracker's table against the API's
 * figures, service data, the drill-down to people, the worklists; each role sees only
 * what it may use. Every page passes axe at desktop and phone widths, raises no console
 * error or CSP violation, injects no <style>, and is photographed into /tmp/beacon-shots/.
 */

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

interface MeanDoses {
  methadone_mg: number | null;
  buprenorphine_mg: number | null;
}
interface Figures {
  in_mat: number;
  cohorts: Record<string, number>;
  pct: Record<string, number | null>;
  mean_doses: Record<string, MeanDoses>;
  month?: string;
}
interface Tracker {
  month: string;
  date: string;
  months: string[];
  organisation: Figures[];
  services: Record<string, Figures[]>;
  service_data: { services: { service_id: string; ranks: Record<string, { value: number | null; rank: number | null; of: number }> }[] };
}
interface Person {
  person_id: string;
  service_id: string;
  stage: string | null;
  cohort: string | null;
  reasons: string[];
}
interface WorklistEntry {
  priority: number | string;
  position: number;
  person_id: string;
  reason: string;
  action: string;
  open_actions: number;
  overdue_actions: number;
  next_action_due: string | null;
  next_action_overdue: boolean;
}

let app: TestApp;
let browser: Browser;
let page: Page;

const GROUPS = ['mat1', 'red', 'amber', 'green', 'grey', 'mat4', 'uncategorised'] as const;

beforeAll(async () => {
  await ensureWebBuild();
  app = await startTestApp({ demo: true });
  browser = await launchBrowser(app.url);
  page = browser.page;
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const heading = (name: RegExp) => page.getByRole('heading', { level: 1, name });
const menu = () => page.getByRole('navigation', { name: 'Menu' });

/** The API's answer, fetched in the page (the same session cookie). */
async function apiGet<T>(path: string): Promise<T> {
  const response = await page.request.get(`${app.url}${path}`);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

const num = (value: number) => value.toLocaleString('en-GB');
const pct = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : `${value.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
const mg = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value.toLocaleString('en-GB', { maximumFractionDigits: 1 }));

/** No console errors, no CSP violations, no <style> element or style attribute injected. */
async function expectClean(name: string): Promise<void> {
  expect(browser.problems, `problems on ${name}`).toEqual([]);
  expect(await cspViolations(page), `CSP violations on ${name}`).toEqual([]);
  expect(await page.locator('style').count(), `<style> elements on ${name}`).toBe(0);
}

async function expectAccessible(name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await axeViolations(page), `axe violations on ${name} (desktop)`).toEqual([]);
  await page.setViewportSize(VIEWPORTS.phone);
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
  expect(await axeViolations(page), `axe violations on ${name} (phone)`).toEqual([]);
  expect(await horizontalOverflow(page), `${name} is wider than a phone screen`).toBeLessThanOrEqual(0);
  await page.setViewportSize(VIEWPORTS.desktop);
  await screenshots(page, `mat-${name}`);
  await expectClean(name);
}

async function signIn(username: string): Promise<void> {
  // Start signed out whatever the test before left behind.
  await page.context().clearCookies();
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(app.credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await passSecondFactor(page);
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

async function signOut(): Promise<void> {
  await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
}

/** Each cohort row of the tracker's table against the API's figures. */
async function expectTableMatches(figures: Figures, organisation: Figures | null): Promise<void> {
  const table = page.getByTestId('mat-cohort-table');
  for (const group of GROUPS) {
    const row = table.getByTestId(`cohort-row-${group}`);
    const count = (await row.getByTestId('count').innerText()).split('\n')[0]!.replace(/ people.*/, '').trim();
    expect(count, `${group} count`).toBe(num(figures.cohorts[group] ?? -1));
    expect(await row.getByTestId('pct').innerText(), `${group} %`).toBe(pct(figures.pct[group]));
    const methadone = await row.getByTestId('methadone').innerText();
    expect(methadone.split(' / ')[0], `${group} methadone`).toBe(mg(figures.mean_doses[group]?.methadone_mg));
    expect((await row.getByTestId('buprenorphine').innerText()).split(' / ')[0], `${group} buprenorphine`).toBe(mg(figures.mean_doses[group]?.buprenorphine_mg));
    if (organisation) {
      expect(await row.getByTestId('org-count').innerText(), `${group} organisation count`).toBe(num(organisation.cohorts[group] ?? -1));
      expect(await row.getByTestId('org-pct').innerText(), `${group} organisation %`).toBe(pct(organisation.pct[group]));
      expect(methadone.split(' / ')[1], `${group} organisation methadone`).toBe(mg(organisation.mean_doses[group]?.methadone_mg));
    } else {
      expect(await row.getByTestId('org-count').count()).toBe(0);
    }
  }
  const total = table.getByTestId('cohort-row-total').getByTestId('count');
  expect(await total.innerText()).toBe(num(figures.in_mat));
}

describe('MAT pages', () => {
  test('administrator: the tracker for the whole organisation matches the API, with a chart', async () => {
    await signIn('admin');
    await menu().getByRole('link', { name: 'MAT', exact: true }).click();
    await heading(/MAT tracker/).waitFor();
    await page.getByTestId('mat-cohort-table').waitFor();
    const tracker = await apiGet<Tracker>('/api/mat/tracker?months=12');
    const latest = tracker.organisation[tracker.organisation.length - 1]!;
    expect(latest.in_mat).toBeGreaterThan(0);
    await page.getByRole('heading', { level: 2, name: new RegExp(`Cohorts on`) }).waitFor();
    await expectTableMatches(latest, null);

    // The chart: a canvas inside an element with an accessible name, described by the table.
    const chart = page.getByRole('img', { name: /Stacked bar chart of the MAT cohorts for the whole organisation/ });
    await chart.waitFor();
    expect(await chart.getAttribute('aria-describedby')).toBe('mat-chart-figures');
    const canvas = chart.locator('canvas');
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(box?.height ?? 0).toBeGreaterThan(200);
    await chart.screenshot({ path: '/tmp/beacon-shots/mat-chart-desktop.png' });
    // The chart's figures as a table: one row per month.
    expect(await page.getByTestId('mat-month-table').locator('tbody tr').count()).toBe(tracker.months.length);

    await expectAccessible('tracker-organisation');
  });

  test('administrator: a service beside the organisation, 24 months, service data with ranks', async () => {
    await page.getByLabel('Service', { exact: true }).selectOption('SVC002');
    await page.getByLabel('24 months').check();
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.waitForURL(/service=SVC002/);
    expect(page.url()).toContain('months=24');
    await page.getByRole('img', { name: /for service SVC002/ }).waitFor();
    const tracker = await apiGet<Tracker>('/api/mat/tracker?service=SVC002&months=24');
    expect(tracker.months).toHaveLength(24);
    const mine = tracker.services.SVC002!;
    await expectTableMatches(mine[mine.length - 1]!, tracker.organisation[tracker.organisation.length - 1]!);
    expect(await page.getByTestId('mat-month-table').locator('tbody tr').count()).toBe(24);

    // Service data (Figure 8): MAT 2 and MAT 3 by band × regime, and the ranks.
    const section = page.getByTestId('service-data');
    await section.getByTestId('service-data-mat2').waitFor();
    await section.getByTestId('service-data-mat3').waitFor();
    const ranks = tracker.service_data.services.find((s) => s.service_id === 'SVC002')!.ranks;
    const red = ranks.red!;
    const rankText = await section.getByTestId('rank-row-red').innerText();
    expect(rankText).toContain(`of ${red.of}`);
    expect(rankText).toContain(pct(red.value));
    await expectAccessible('tracker-service');
  });

  test('administrator: from a cohort count to the people behind it, with their evidence', async () => {
    const tracker = await apiGet<Tracker>('/api/mat/tracker?service=SVC002');
    const red = tracker.services.SVC002![tracker.services.SVC002!.length - 1]!.cohorts.red!;
    expect(red).toBeGreaterThan(0);
    await page.getByTestId('cohort-row-red').getByRole('link').click();
    await page.waitForURL(/\/mat\/people\?.*group=red/);
    await heading(/Red/).waitFor();
    await page.getByTestId('people-table').waitFor();
    const report = await apiGet<{ people: Person[] }>(`/api/mat/report?month=${tracker.month}&service=SVC002`);
    const people = report.people.filter((p) => p.cohort === 'red');
    expect(people).toHaveLength(red);
    await expect(page.getByTestId('people-count').innerText()).resolves.toBe(`${red} ${red === 1 ? 'person' : 'people'}.`);
    const first = people[0]!;
    const row = page.getByTestId(`person-${first.person_id}`);
    const text = await row.innerText();
    expect(text).toContain('MAT 2 (using on top)');
    expect(text).toContain('Red');
    for (const reason of first.reasons) expect(text).toContain(reason);
    await expectAccessible('people');

    // Figure 8 cells lead to people too.
    await page.getByRole('link', { name: 'Back to the MAT tracker' }).click();
    await page.getByTestId('service-data-mat2').waitFor();
    const cellLink = page.getByTestId('service-data-mat2').getByTestId('total-row-mat2').getByRole('link');
    await cellLink.click();
    await page.waitForURL(/stage=MAT2/);
    await page.getByTestId('people-count').waitFor();
    const mat2 = report.people.filter((p) => p.stage === 'MAT2').length;
    await expect(page.getByTestId('people-count').innerText()).resolves.toBe(`${mat2} ${mat2 === 1 ? 'person' : 'people'}.`);
    await expectClean('people-mat2');
  });

  test('administrator: the worklists, priorities 1–5 and the uncategorised', async () => {
    await page.goto(`${app.url}/mat`);
    await page.getByRole('navigation', { name: 'MAT pages' }).getByRole('link', { name: 'Priority worklists' }).click();
    await heading(/MAT priority worklists/).waitFor();
    await page.getByTestId('mat-worklists').waitFor();
    // The MAT item stays current in the main navigation.
    await expect(menu().getByRole('link', { name: 'MAT', exact: true }).getAttribute('aria-current')).resolves.toBe('true');
    const { worklists } = await apiGet<{ worklists: WorklistEntry[] }>('/api/mat/worklists');
    expect(worklists.length).toBeGreaterThan(0);
    for (const priority of [1, 2, 3, 4, 5, 'uncategorised'] as const) {
      const expected = worklists.filter((w) => w.priority === priority).length;
      const section = page.getByTestId(`worklist-${priority}`);
      expect(await section.locator('tbody tr').count(), `priority ${priority}`).toBe(expected);
    }
    const firstEntry = page.getByTestId('worklist-1').locator('tbody tr').first();
    const entry = worklists.find((w) => w.priority === 1)!;
    expect(await firstEntry.innerText()).toContain(entry.person_id);
    expect(await firstEntry.innerText()).toContain(entry.reason);
    expect(await firstEntry.innerText()).toContain(entry.action);
    // Each person's open care-plan actions: how many, the next due date, overdue marked (the demo plans some).
    const dayLabel = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const withActions = worklists.filter((w) => w.open_actions > 0);
    expect(withActions.length).toBeGreaterThan(0);
    expect(withActions.some((w) => w.next_action_overdue)).toBe(true);
    for (const w of [withActions.find((x) => x.next_action_overdue)!, withActions.find((x) => !x.next_action_overdue) ?? withActions[0]!]) {
      const cell = page.getByTestId(`worklist-${w.priority}`).getByTestId(`worklist-entry-${w.person_id}`).getByTestId('worklist-care-plan');
      const text = (await cell.innerText()).replace(/\s+/g, ' ');
      expect(text).toContain(`${w.open_actions} open action${w.open_actions === 1 ? '' : 's'}`);
      if (w.next_action_due) expect(text).toContain(`Next due ${dayLabel(w.next_action_due)}`);
      expect(await cell.locator('.nhsuk-tag--red', { hasText: 'Overdue' }).count()).toBe(w.next_action_overdue ? 1 : 0);
    }
    const without = worklists.find((w) => w.open_actions === 0)!;
    expect(await page.getByTestId(`worklist-${without.priority}`).getByTestId(`worklist-entry-${without.person_id}`).getByTestId('worklist-care-plan').innerText()).toContain('None open');
    // The lists as files: CSV with one line per entry, and the workbooks.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download worklists (CSV)' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^beacon-mat-worklists-\d{4}-\d{2}\.csv$/);
    const csvPath = await csv.path();
    const csvLines = (await readFile(csvPath, 'utf8')).trim().split('\n');
    expect(csvLines).toHaveLength(worklists.length + 1);
    expect(csvLines[0]).toMatch(/,open_actions,overdue_actions,next_action_due,next_action_overdue$/);
    const overdue = withActions.find((w) => w.next_action_overdue)!;
    expect(csvLines.some((l) => l.includes(`,${overdue.person_id},`) && l.endsWith(`,${overdue.open_actions},${overdue.overdue_actions},${overdue.next_action_due},true`))).toBe(true);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download worklists (XLSX)' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(await xlsx.failure()).toBeNull();
    const [book] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the MAT workbook (XLSX)' }).click()]);
    expect(book.suggestedFilename()).toMatch(/^beacon-mat-workbook-/);
    expect(await book.failure()).toBeNull();
    await expectAccessible('worklists');
    await signOut();
  }, 240_000);

  test('prescriber: supervised consumption lists, and recording a review', async () => {
    await signIn('prescriber');
    await page.goto(`${app.url}/mat`);
    await page.getByRole('navigation', { name: 'MAT pages' }).getByRole('link', { name: 'Supervised consumption' }).click();
    await heading(/^Supervised consumption$/).waitFor();
    await page.getByTestId('mat-supervised').waitFor();
    const qs = new URL(page.url()).searchParams.toString();
    const data = await apiGet<{ date: string; people: { person_id: string; lists: string[] }[]; rates: { organisation: { rate: number | null } } }>(`/api/mat/supervised?${qs}`);
    expect(await page.getByTestId('sc-rates').innerText()).toContain('Whole organisation');
    for (const list of ['relax', 'regular_on_top', 'no_review', 'review_overdue']) {
      expect(await page.getByTestId(`sc-list-${list}`).locator('tbody tr').count(), list).toBe(data.people.filter((p) => p.lists.includes(list)).length);
    }
    await expectAccessible('supervised');
    const person = data.people.find((p) => p.lists.includes('no_review'));
    expect(person, 'someone without a review in the demo').toBeDefined();
    if (!person) return;
    await page.getByTestId('sc-list-no_review').getByRole('link', { name: `Record a review for ${person.person_id}` }).click();
    await heading(/Supervised consumption review/).waitFor();
    await page.getByTestId('sc-review-form').waitFor();
    // Nothing filled in: every problem in the error summary.
    await page.getByRole('button', { name: 'Record the review' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Choose the decision');
    expect(await summary.innerText()).toContain('Give the rationale');
    await expectAccessible('sc-review-errors');
    for (const label of ['Medication diverted this episode', 'Vulnerable or at risk of exploitation', 'Regular illicit opioid use in the last 28 days']) {
      await page.getByRole('group', { name: label }).getByLabel('No', { exact: true }).check();
    }
    await page.getByRole('group', { name: /Other risk/ }).getByLabel('Not answered').check();
    await page.getByLabel('Supervised consumption', { exact: true }).check();
    await page.getByLabel('Rationale').fill('Reviewed in clinic: no diversion, no exploitation concerns.');
    // Dated on the month end on screen, so that month's lists include it.
    await page.getByLabel('Date of the review').fill(data.date);
    await page.getByRole('button', { name: 'Record the review' }).click();
    await page.getByTestId('sc-recorded').waitFor();
    expect(await page.getByTestId('sc-recorded').innerText()).toContain(person.person_id);
    const after = await apiGet<{ people: { person_id: string; lists: string[]; latest_review: { rationale: string | null } | null }[] }>(`/api/mat/supervised?${qs}`);
    const now = after.people.find((p) => p.person_id === person.person_id);
    expect(now?.latest_review?.rationale).toContain('Reviewed in clinic');
    expect(now?.lists).not.toContain('no_review');
    await signOut();
  });

  test('keyworker: their own service by default; people of their scope only', async () => {
    await signIn('keyworker');
    await page.goto(`${app.url}/mat`);
    await heading(/MAT tracker/).waitFor();
    const me = await apiGet<{ user: { scope: { id: string }; permissions: string[] } }>('/api/auth/me');
    const service = me.user.scope.id;
    await page.getByRole('img', { name: new RegExp(`for service ${service}`) }).waitFor();
    const tracker = await apiGet<Tracker>(`/api/mat/tracker?service=${service}`);
    const mine = tracker.services[service]!;
    await expectTableMatches(mine[mine.length - 1]!, tracker.organisation[tracker.organisation.length - 1]!);
    await expectAccessible('keyworker-tracker');

    // The whole organisation: aggregate figures; the people listed are the keyworker's own only.
    await page.getByLabel('Service', { exact: true }).selectOption('all');
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.waitForURL(/service=all/);
    await page.getByRole('img', { name: /for the whole organisation/ }).waitFor();
    await page.getByTestId('cohort-row-green').getByRole('link').click();
    await page.getByTestId('people-count').waitFor();
    const report = await apiGet<{ people: Person[] }>(`/api/mat/report?month=${tracker.month}`);
    expect(report.people.every((p) => p.service_id === service)).toBe(true);
    const green = report.people.filter((p) => p.cohort === 'green').length;
    await expect(page.getByTestId('people-count').innerText()).resolves.toBe(`${green} ${green === 1 ? 'person' : 'people'}.`);
    await expect(page.getByText(/Only the people of the services in your scope/).isVisible()).resolves.toBe(true);
    await expectAccessible('keyworker-people');

    await page.goto(`${app.url}/mat/worklists`);
    await page.getByTestId('mat-worklists').waitFor();
    const { worklists } = await apiGet<{ worklists: WorklistEntry[] }>(`/api/mat/worklists?service=${service}`);
    expect(await page.getByTestId('mat-worklists').locator('tbody tr').count()).toBe(worklists.length);
    await expectAccessible('keyworker-worklists');
    await signOut();
  });

  test('LDIS coordinator: aggregate tracker only – no people, no worklists', async () => {
    await signIn('ldis');
    await page.goto(`${app.url}/mat`);
    await page.getByTestId('mat-cohort-table').waitFor();
    expect(await page.getByTestId('mat-cohort-table').getByRole('link').count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'MAT pages' }).count()).toBe(0);
    await page.goto(`${app.url}/mat/worklists`);
    await page.getByText(/Your role does not give you access to the priority worklists/).waitFor();
    await expectClean('ldis');
    await signOut();
  });
});
