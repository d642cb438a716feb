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
  expect(await horizontalOverflow(page), `${name} is wider than a phone screen`).toBeLessThanOrEqual(0);
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
