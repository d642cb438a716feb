import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoTotpCode, startTestApp } from '../src/testing/app';
import { axeViolations, cspViolations, horizontalOverflow, launchBrowser, screenshots, SHOTS_DIR, VIEWPORTS, type Browser } from './support/browser';
import { ensureWebBuild } from './support/build';

/**
 * Early warning end to end over the demo dataset (which plants a nitazene cluster in one
 * area): the overview with each area's step and alarms, the series page with its chart
 * and table and the plain-words reason, an area with its proposal, confirming it as the
 * coordinator, the neighbour's notification. Every page passes axe at desktop and phone
 * widths, raises no console error or CSP violation, injects no <style>, and is
 * photographed into /tmp/beacon-shots/.
 */

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

interface Overview {
  areas: { area: string; name: string; step: number; pending: { step: number } | null; recent_alarms: number; triggers_firing: number }[];
}
interface Series {
  weeks: { period_start: string; count: number; expected: number | null; upper_bound: number | null; alarm: boolean; reason: string }[];
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
});

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

async function expectClean(name: string): Promise<void> {
  expect(browser.problems, `problems on ${name}`).toEqual([]);
  const csp = await cspViolations(page);
  expect(csp, `CSP violations on ${name}`).toEqual([]);
  expect(await page.locator('style').count(), `<style> elements on ${name}`).toBe(0);
  // ECharts sizes its own canvas through the CSSOM (allowed by the CSP); nothing else may
  // (axe leaves empty style attributes behind on what it inspects).
  expect(await page.locator('[style]:not([style=""]):not([data-testid="warning-chart"], [data-testid="warning-chart"] *)').count(), `style attributes on ${name}`).toBe(0);
}

async function expectAccessible(name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await axeViolations(page), `axe violations on ${name} (desktop)`).toEqual([]);
  await page.setViewportSize(VIEWPORTS.phone);
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
  expect(await axeViolations(page), `axe violations on ${name} (phone)`).toEqual([]);
  expect(await horizontalOverflow(page), `${name} is wider than a phone screen`).toBeLessThanOrEqual(0);
  await page.setViewportSize(VIEWPORTS.desktop);
  await screenshots(page, `warning-${name}`);
  await expectClean(name);
}

async function signIn(username: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(app.credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Administrators have a second factor (the demo's shared TOTP secret).
  const code = page.getByRole('textbox', { name: 'Security code' });
  await Promise.race([code.waitFor().catch(() => undefined), page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))]);
  if (page.url().includes('/sign-in')) {
    await code.fill(await demoTotpCode());
    await page.getByRole('form', { name: 'Security code' }).getByRole('button').first().click();
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

describe('early warning', () => {
  let cluster: Overview['areas'][number];
  beforeAll(async () => {
    await signIn('ldis');
    cluster = (await apiGet<Overview>('/api/warning/overview')).areas.find((a) => a.step > 1)!;
  });

  test('coordinator: the overview shows every area with its step, alarms and a link to the LDIS inbox', async () => {
    await signIn('ldis');
    await page.goto(`${app.url}/early-warning`);
    await heading(/Early warning/).waitFor();
    const overview = await apiGet<Overview>('/api/warning/overview');
    expect(overview.areas.length).toBe(3);
    const withAlarm = overview.areas.filter((a) => a.recent_alarms > 0);
    expect(withAlarm.length).toBeGreaterThan(0);
    expect(cluster, 'the demo cluster area has moved up a step').toBeTruthy();
    const table = page.getByRole('table', { name: /Each area’s step/ });
    await table.waitFor();
    for (const a of overview.areas) await expect(table.getByRole('rowheader', { name: new RegExp(a.name) }).count()).resolves.toBe(1);
    expect(await page.getByRole('link', { name: 'LDIS inbox' }).first().getAttribute('href')).toBe('/ldis');
    // The neighbour's step change reached this coordinator (another area) as a notification.
    await page.getByRole('heading', { name: /Notifications/ }).waitFor();
    await expect(page.getByText(new RegExp(`Neighbouring area ${cluster.name} moved from Step 1 to Step`)).count()).resolves.toBeGreaterThan(0);
    await expectAccessible('overview');
  });

  test('a series page: chart, data table and the reason in plain words', async () => {
    const series = await apiGet<Series>(`/api/warning/series/${cluster.area}/ambulance_callout`);
    const alarm = [...series.weeks].reverse().find((w) => w.alarm);
    expect(alarm, 'an ambulance call-out alarm in the cluster').toBeTruthy();
    expect(alarm!.reason).toMatch(/^\d+ ambulance call-outs against an expected [\d.]+; threshold [\d.]+ — alarm/);
    await page.goto(`${app.url}/early-warning/series/${cluster.area}/ambulance_callout`);
    await heading(/Ambulance call-outs/).waitFor();
    const chart = page.getByRole('img', { name: /Weekly ambulance call-outs/ });
    await chart.waitFor();
    await chart.locator('canvas').waitFor();
    const box = await chart.locator('canvas').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(await chart.getAttribute('aria-describedby')).toBe('warning-series-table');
    const rows = page.locator('#warning-series-table tbody tr');
    expect(await rows.count()).toBe(series.weeks.length);
    await expect(page.getByText(alarm!.reason).count()).resolves.toBeGreaterThan(0);
    await chart.screenshot({ path: '/tmp/beacon-shots/warning-chart-desktop.png' });
    await expectAccessible('series');
  });

  test('the methods, triggers, step rules and neighbours in words', async () => {
    await page.getByRole('navigation', { name: 'Early warning' }).getByRole('link', { name: 'Methods and triggers' }).click();
    await heading(/How detection is set up/).waitFor();
    const table = page.getByRole('table', { name: 'Indicators, methods and count triggers' });
    await table.waitFor();
    await table.getByRole('rowheader', { name: /Suspected drug-related deaths/ }).waitFor();
    await table.getByText('2 or more in 24 hours; 3 or more in 7 days').waitFor();
    await page.getByText('Step 3: Confirmed presence of synthetic opioids together with a rise in overdoses or deaths').waitFor();
    await expectAccessible('settings');
  });

  test('an area-scoped coordinator sees another area’s proposal but cannot decide it', async () => {
    await page.goto(`${app.url}/early-warning/areas/${cluster.area}`);
    await heading(new RegExp(cluster.name)).waitFor();
    await page.getByRole('heading', { name: /What each agency does at Step/ }).first().waitFor();
    expect(await page.getByRole('button', { name: /Confirm Step/ }).count()).toBe(0);
    await page.getByText('The area’s LDIS coordinator confirms or overrides the proposal.').waitFor();
    await expectAccessible('area-readonly');
  });

  test('administrator: confirms the proposal, with the history kept; an override needs a reason', async () => {
    await signIn('admin');
    await page.goto(`${app.url}/early-warning/areas/${cluster.area}`);
    await heading(new RegExp(cluster.name)).waitFor();
    expect(cluster.pending, 'the demo leaves a proposal waiting').toBeTruthy();
    await page.getByRole('heading', { name: new RegExp(`Step ${cluster.pending!.step} proposed`) }).waitFor();
    await expectAccessible('area-proposal');
    // An override without a reason is refused with an error summary.
    await page.getByRole('button', { name: 'Set the step' }).click();
    await page.getByText('Select the step for the area').first().waitFor();
    await page.getByText('Give the reason for setting the step').first().waitFor();
    await screenshots(page, 'warning-area-errors');
    await page.getByRole('button', { name: new RegExp(`Confirm Step ${cluster.pending!.step}`) }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const history = page.getByRole('region', { name: 'Step history' });
    await history.getByText('Confirmed').first().waitFor();
    await expect(history.getByText(/Alex Admin/).count()).resolves.toBeGreaterThan(0);
    const after = await apiGet<Overview>('/api/warning/overview');
    expect(after.areas.find((a) => a.area === cluster.area)?.step).toBe(cluster.pending!.step);
    await expectClean('area-confirmed');
  });

  test('a role without early-warning access is told so, and a keyworker sees the caseload view', async () => {
    await signIn('keyworker');
    await page.goto(`${app.url}/early-warning`);
    await heading(/Early warning/).waitFor();
    await page.getByText('Your role does not give you access to the early-warning figures.').waitFor();
    // … but a keyworker has the caseload view of the areas on alert.
    await page.getByRole('link', { name: 'Your caseload in areas at Step 2 or 3' }).click();
    await heading(/Your caseload in alert areas/).waitFor();
    await page.getByRole('heading', { name: 'Areas on alert' }).waitFor();
    await page.getByText(cluster.name).first().waitFor();
    await expectAccessible('caseload');
  });
  // These two change the settings (and run detection again), so they come last.
  test('coordinator: changes a detection parameter (validated, with an error summary) and sees it take effect', async () => {
    await signIn('ldis');
    const before = await apiGet<Series & { method: string }>(`/api/warning/series/${cluster.area}/ambulance_callout`);
    expect(before.method).toBe('auto');
    expect(before.weeks.some((w) => /\(EARS C1\)/.test(w.reason))).toBe(false);
    await page.goto(`${app.url}/early-warning/settings`);
    await heading(/How detection is set up/).waitFor();
    await page.getByRole('link', { name: 'Change ambulance call-outs to overdoses' }).click();
    await heading(/Ambulance call-outs to overdoses/).waitFor();
    // The documented defaults and what each parameter means are on the page.
    await page.getByText('Default: 0.005. Leave empty for the default.').waitFor();
    await page.getByText(/Each past year contributes its same week and this many weeks either side\. Default: 3\./).waitFor();
    await expectAccessible('settings-indicator');
    // A bad value is refused by the server with an error summary that links to the field.
    await page.getByLabel('Alpha', { exact: true }).first().fill('0.7');
    await page.getByLabel('Number of events').first().fill('0');
    await page.getByRole('button', { name: 'Save and run detection' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.getByRole('link', { name: 'Alpha must be more than 0 and less than 0.5' }).waitFor();
    await summary.getByRole('link', { name: 'The number of events must be 1 or more' }).waitFor();
    expect(await summary.getByRole('link', { name: 'Alpha must be more than 0 and less than 0.5' }).getAttribute('href')).toBe('#f-alpha');
    const expected = browser.problems.findIndex((p) => /status of 400/.test(p));
    if (expected >= 0) browser.problems.splice(expected, 1);
    await expectAccessible('settings-indicator-errors');
    // Fixed: EARS C1 with a 24-hour trigger of 3 — detection runs again at once.
    await page.getByLabel('Alpha', { exact: true }).first().fill('');
    await page.getByLabel('Number of events').first().fill('3');
    await page.getByRole('radio', { name: 'EARS C1' }).check();
    await page.getByRole('button', { name: 'Save and run detection' }).click();
    await page.getByRole('status').filter({ hasText: /Saved\. Detection ran again at once: \d+ of \d+ series recomputed/ }).waitFor();
    await screenshots(page, 'warning-settings-indicator-saved');
    const after = await apiGet<Series & { method: string }>(`/api/warning/series/${cluster.area}/ambulance_callout`);
    expect(after.method).toBe('ears-c1');
    const c1 = after.weeks.filter((w) => /\(EARS C1\)/.test(w.reason));
    expect(c1.length).toBeGreaterThan(0);
    await page.goto(`${app.url}/early-warning/series/${cluster.area}/ambulance_callout`);
    await heading(/Ambulance call-outs/).waitFor();
    await expect(page.getByText(c1.at(-1)!.reason).count()).resolves.toBeGreaterThan(0);
    // Back to the defaults (the tests below rely on the demo's proposal).
    await page.goto(`${app.url}/early-warning/settings/indicators/ambulance_callout`);
    await page.getByRole('button', { name: 'Restore the defaults' }).click();
    await page.getByRole('button', { name: 'Save and run detection' }).click();
    await page.getByRole('status').filter({ hasText: /Saved\./ }).waitFor();
    expect((await apiGet<{ method: string }>(`/api/warning/series/${cluster.area}/ambulance_callout`)).method).toBe('auto');
    await expectClean('settings-indicator-restored');
  });

  test('coordinator: step rules and neighbours are edited with validation; own e-mail address for notifications', async () => {
    await page.goto(`${app.url}/early-warning/settings`);
    await page.getByRole('link', { name: 'Change the step rules and neighbouring areas' }).click();
    await heading(/Step rules and neighbouring areas/).waitFor();
    await page.getByRole('group', { name: /Rule 1/ }).waitFor();
    await expectAccessible('settings-steps');

    // On a phone each rule's wording wraps inside its box (none scrolls sideways, nor does the page), even a long one with a link in it.
    await page.setViewportSize(VIEWPORTS.phone);
    const wording = page.getByLabel('What the rule means, in words');
    const saved = await wording.nth(1).inputValue();
    await wording.nth(1).fill('A nitazene-positive drug check, test strip or forensic result reported by any partner (drug-checking service, police forensics, WEDINOS or a hospital laboratory), agreed at the panel as meeting the case definition; see https://example.org/ldis/case-definition/nitazenes-2026-protocol-v3');
    const sideways = await page.evaluate(() => [...document.querySelectorAll('textarea[id^="rule-"][id$="-text"]')].map((e) => ({ id: e.id, by: e.scrollWidth - e.clientWidth, hidden: e.scrollHeight - e.clientHeight })));
    expect(sideways.length).toBe(await wording.count());
    expect(sideways.filter((b) => b.by > 0), 'wording boxes that scroll sideways at 375 px').toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await wording.nth(1).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS_DIR}/warning-settings-steps-wording-phone.png` });
    // The wording is one line: pasted line breaks become spaces.
    await wording.nth(1).fill('First line\nsecond line');
    expect(await wording.nth(1).inputValue()).toBe('First line second line');
    await wording.nth(1).fill(saved);
    await page.setViewportSize(VIEWPORTS.desktop);

    const days = page.getByLabel('In the last days').first();
    const original = await days.inputValue();
    await days.fill('0');
    await page.getByRole('button', { name: 'Save the step rules' }).click();
    await page.locator('.nhsuk-error-summary').getByRole('link', { name: 'The number of days must be 1 or more' }).waitFor();
    const expected = browser.problems.findIndex((p) => /status of 400/.test(p));
    if (expected >= 0) browser.problems.splice(expected, 1);
    await screenshots(page, 'warning-settings-steps-errors');
    await days.fill(original);
    const text = page.getByLabel('What the rule means, in words').nth(1);
    await text.fill('A nitazene-positive drug check, test strip or forensic result (agreed at the panel)');
    await page.getByRole('button', { name: 'Save the step rules' }).click();
    await page.getByRole('status').filter({ hasText: /Saved\. Detection ran again at once/ }).waitFor();
    await expectClean('settings-steps-saved');
    await page.goto(`${app.url}/early-warning/settings`);
    await page.getByText('Step 2: A nitazene-positive drug check, test strip or forensic result (agreed at the panel)').waitFor();

    // The coordinator's own address for early-warning e-mail.
    await page.goto(`${app.url}/early-warning/settings`);
    await page.getByRole('heading', { name: 'Early-warning e-mail' }).waitFor();
    await page.getByLabel('Your e-mail address').fill('not an address');
    await page.getByRole('button', { name: 'Save my e-mail settings' }).click();
    await page.locator('.nhsuk-error-summary').getByRole('link', { name: /Enter an e-mail address in the right format/ }).waitFor();
    const bad = browser.problems.findIndex((p) => /status of 400/.test(p));
    if (bad >= 0) browser.problems.splice(bad, 1);
    await page.getByLabel('Your e-mail address').fill('ldis@example.org');
    await page.getByRole('button', { name: 'Save my e-mail settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Early-warning e-mail goes to ldis@example.org.' }).waitFor();
    expect(await apiGet<{ email: string; earlyWarning: boolean }>('/api/warning/email')).toEqual({ email: 'ldis@example.org', earlyWarning: true });
    await expectAccessible('settings-email');
  });
});
