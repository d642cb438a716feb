import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp } from '../src/testing/app';
import { axeViolations, horizontalOverflow, launchBrowser, screenshots, VIEWPORTS, type Browser } from './support/browser';
import { passSecondFactor } from './support/auth';
import { ensureWebBuild } from './support/build';

/**
 * The web app end to end: a real Beacon server (in-memory database) serving the built app,
 * driven by headless Chromium. Every page is checked with axe (WCAG 2.2 A and AA) and
 * photographed at desktop, tablet and phone widths into /tmp/beacon-shots/.
 */

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

let app: TestApp;
let browser: Browser;
let page: Page;

const csv = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');

beforeAll(async () => {
  await ensureWebBuild();
  app = await startTestApp();
  browser = await launchBrowser(app.url);
  page = browser.page;
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function expectAccessible(name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await axeViolations(page), `axe violations on ${name}`).toEqual([]);
  await page.setViewportSize(VIEWPORTS.phone);
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
  expect(await horizontalOverflow(page), `${name} is wider than a phone screen`).toBeLessThanOrEqual(0);
  await page.setViewportSize(VIEWPORTS.desktop);
  await screenshots(page, name);
}

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' });
const menu = () => page.getByRole('navigation', { name: 'Menu' });

/** The number in the "Rows" cell of a table's row on the Data page. */
async function rowsOnDataPage(table: string): Promise<number> {
  await menu().getByRole('link', { name: 'Data', exact: true }).click();
  await heading('Data').waitFor();
  const cell = page.getByTestId(`table-row-${table}`).locator('td.nhsuk-table__cell--numeric');
  return Number((await cell.innerText()).replace(/\D/g, ''));
}

async function chooseFiles(files: { name: string; buffer: Buffer }[], options: { dryRun?: boolean; skipInvalid?: boolean } = {}) {
  await page.goto(`${app.url}/data/import`);
  await heading('Import data').waitFor();
  await page.locator('input[type=file]').setInputFiles(
    files.map((f) => ({ name: f.name, mimeType: f.name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream', buffer: f.buffer })),
  );
  if (options.dryRun) await page.getByLabel('Check only (dry run)').check();
  if (options.skipInvalid) await page.getByLabel('Skip invalid rows').check();
}

/** Send the chosen files; once the server accepts them (202) the app shows the import's report page. */
async function submitUpload(timeout = 30_000): Promise<void> {
  await page.getByRole('button', { name: /^Upload and (import|check)$/ }).click();
  await waitForReportPage(timeout);
}

async function waitForReportPage(timeout: number): Promise<void> {
  const summary = page.locator('.nhsuk-error-summary');
  const refused = await Promise.race([
    page.waitForURL(/\/data\/imports\/\d+$/, { timeout }).then(
      () => null,
      () => null,
    ),
    summary.waitFor({ timeout }).then(
      () => summary.innerText(),
      () => null,
    ),
  ]);
  if (refused !== null && !/\/data\/imports\/\d+$/.test(page.url())) throw new Error(`The upload was refused: ${refused}`);
  expect(page.url()).toMatch(/\/data\/imports\/\d+$/);
}

function cells(row: Locator) {
  return row.locator('td');
}

describe('Beacon web app', () => {
  test('signed out, every page leads to sign-in, which is accessible', async () => {
    await page.goto(`${app.url}/data`);
    await page.waitForURL(/\/sign-in\?next=%2Fdata$/);
    await heading('Sign in to Beacon').waitFor();
    expect(await page.title()).toBe('Sign in – Beacon');
    await expect(page.getByRole('banner').getByRole('link', { name: 'Beacon' }).isVisible()).resolves.toBe(true);
    await expectAccessible('sign-in');
  });

  test('sign-in errors are shown in an error summary', async () => {
    await page.getByRole('button', { name: 'Sign in' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    await expect(summary.innerText()).resolves.toContain('Enter your username');
    await expect(summary.innerText()).resolves.toContain('Enter your password');
    await expectAccessible('sign-in-empty');

    await page.getByLabel('Username').fill(app.credentials.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.nhsuk-error-summary').getByRole('link').first().waitFor();
    expect(await page.locator('.nhsuk-error-summary').innerText()).toMatch(/username or password/i);
    await expectAccessible('sign-in-rejected');
  });

  test('signs in and shows who is signed in, with their role', async () => {
    await page.getByLabel('Username').fill(app.credentials.username);
    await page.getByLabel('Password').fill(app.credentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(page);
    // Back to the page that asked for sign-in.
    await page.waitForURL(/\/data$/);
    await heading('Data').waitFor();
    const account = page.getByRole('navigation', { name: 'Account' });
    await expect(account.getByTestId('header-user').innerText()).resolves.toMatch(/\S/);
    await expect(account.getByTestId('header-role').innerText()).resolves.toMatch(/Administrator/);
    await expect(account.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.nhsuk-skip-link').getAttribute('href')).resolves.toBe('#maincontent');
  });

  test('every page is reachable from the navigation and passes axe', async () => {
    await page.getByRole('banner').getByRole('link', { name: 'Beacon', exact: true }).click();
    await heading('Beacon').waitFor();
    await page.getByTestId('figure-services').waitFor();
    await expectAccessible('home');

    const pages: [string, RegExp, string][] = [
      ['MAT', /Medication-assisted treatment/, 'mat'],
      ['Risk', /Caseload by overdose risk/, 'risk'],
      ['Early warning', /Early warning/, 'early-warning'],
      ['LDIS', /Inbox/, 'ldis'],
      ['Alerts', /Alerts/, 'alerts'],
      ['Assurance', /Partnership assurance/, 'assurance'],
      ['Data', /^Data$/, 'data'],
      ['Admin', /^Administration$/, 'admin'],
    ];
    for (const [link, title, name] of pages) {
      await menu().getByRole('link', { name: link, exact: true }).click();
      await heading(title).waitFor();
      await expect(menu().getByRole('link', { name: link, exact: true }).getAttribute('aria-current')).resolves.toBe('page');
      await page.waitForLoadState('networkidle');
      // Each page loaded its figures from the API without a problem.
      expect(await page.locator('.nhsuk-error-summary').count(), `problem shown on ${name}`).toBe(0);
      await expectAccessible(name);
    }

    // Data: counts per table, export links, imports and data-quality findings.
    await menu().getByRole('link', { name: 'Data', exact: true }).click();
    await heading('Data').waitFor();
    await page.getByTestId('table-row-services').waitFor();
    await expect(page.getByRole('button', { name: 'Download all data (XLSX)' }).getAttribute('href')).resolves.toBe('/api/data/export.xlsx');
    await expect(page.getByTestId('table-row-people').getByRole('link', { name: /Download CSV/ }).getAttribute('href')).resolves.toBe(
      '/api/data/export/people.csv',
    );
    await page.getByRole('heading', { level: 2, name: 'Data quality' }).waitFor();

    // Export: the whole dataset as a workbook, and each table as CSV.
    const [workbook] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download all data (XLSX)' }).click(),
    ]);
    expect(workbook.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(await workbook.failure()).toBeNull();
    const [servicesCsv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('table-row-services').getByRole('link', { name: /Download CSV/ }).click(),
    ]);
    expect(servicesCsv.suggestedFilename()).toBe('services.csv');
    const servicesText = await page.request.get(`${app.url}/api/data/export/services.csv`);
    expect(await servicesText.text()).toContain('service_id');

    await page.getByRole('button', { name: 'Import data' }).click();
    await heading('Import data').waitFor();
    await expectAccessible('import');

    await page.goto(`${app.url}/no-such-page`);
    await heading('Page not found').waitFor();
    await expectAccessible('not-found');
  });

  test('the navigation works on a phone', async () => {
    await page.setViewportSize(VIEWPORTS.phone);
    await page.goto(`${app.url}/`);
    await heading('Beacon').waitFor();
    await menu().getByRole('link', { name: 'Early warning', exact: true }).click();
    await heading(/Early warning/).waitFor();
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  test('the import form checks the files before sending them', async () => {
    await page.goto(`${app.url}/data/import`);
    await heading('Import data').waitFor();
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    await expect(page.locator('.nhsuk-error-summary').innerText()).resolves.toContain('Select an Excel workbook');
    await expectAccessible('import-no-file');
  });

  test('a valid CSV is imported and the report says so', async () => {
    const before = await rowsOnDataPage('services');
    await chooseFiles([{ name: 'services.csv', buffer: csv(['service_id,name', 'SVC-E2E-1,End-to-end test service']) }]);
    await submitUpload();
    await heading('Import complete').waitFor({ timeout: 60_000 });
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Import complete');
    await expect(page.locator('.nhsuk-panel').innerText()).resolves.toMatch(/1 row written/);
    await expect(page.locator('.nhsuk-tag').first().innerText()).resolves.toBe('Imported');
    await expect(page.getByTestId('import-table-services').innerText()).resolves.toMatch(/Services/);
    await expectAccessible('import-succeeded');

    expect(await rowsOnDataPage('services')).toBe(before + 1);
    // The import is listed with its status and a link to its report.
    const latest = page.getByTestId('import-row').first();
    await expect(latest.innerText()).resolves.toContain('services.csv');
    await expect(latest.locator('.nhsuk-tag').innerText()).resolves.toBe('Imported');
    await latest.getByRole('link', { name: /View report/ }).click();
    await heading('Import complete').waitFor();
  });

  test('a dry run shows upload progress, checks the file and writes nothing', async () => {
    const before = await rowsOnDataPage('services');
    const rows = ['service_id,name'];
    for (let i = 1; i <= 6000; i++) rows.push(`SVC-DRY-${String(i).padStart(5, '0')},Dry-run service number ${i}`);
    await chooseFiles([{ name: 'services.csv', buffer: csv(rows) }], { dryRun: true });
    await expect(page.getByRole('button', { name: 'Upload and check' }).isVisible()).resolves.toBe(true);

    // Slow the upload down so the progress bar is seen (XMLHttpRequest upload progress).
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
    await page.getByRole('button', { name: 'Upload and check' }).click();
    const uploadBar = page.getByLabel('Uploading files');
    await uploadBar.waitFor();
    expect(await uploadBar.evaluate((el) => el.tagName)).toBe('PROGRESS');
    await page.screenshot({ path: '/tmp/beacon-shots/import-uploading-desktop.png', fullPage: true });
    await waitForReportPage(60_000);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();

    await heading('Check complete').waitFor({ timeout: 60_000 });
    await expect(page.locator('.nhsuk-panel').innerText()).resolves.toMatch(/6,000 rows checked\. Nothing was written/);
    await expectAccessible('import-dry-run');
    expect(await rowsOnDataPage('services')).toBe(before);
  });

  test('a malformed CSV is rejected with the precise problem rows and a problems CSV', async () => {
    const before = await rowsOnDataPage('people');
    await chooseFiles([
      {
        name: 'people.csv',
        buffer: csv([
          'person_id,service_id,date_of_birth,sex',
          'P-E2E-1,SVC-E2E-1,1980-02-30,M',
          'P-E2E-2,SVC-E2E-1,1985-01-01,Q',
        ]),
      },
    ]);
    await submitUpload();
    await heading('Import rejected').waitFor({ timeout: 60_000 });
    const summary = page.locator('.nhsuk-error-summary');
    await expect(summary.innerText()).resolves.toContain('Nothing was written');

    const problems = page.getByTestId('problem-row');
    await problems.first().waitFor();
    const rows = await problems.evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll('td')).map((td) => {
          const copy = td.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('.nhsuk-table-responsive__heading').forEach((h) => h.remove());
          return (copy.textContent ?? '').trim();
        }),
      ),
    );
    // [file, line, column, value, expected, message]
    const badDate = rows.find((r) => r[2] === 'date_of_birth');
    const badSex = rows.find((r) => r[2] === 'sex');
    expect(badDate, JSON.stringify(rows)).toBeDefined();
    expect(badSex, JSON.stringify(rows)).toBeDefined();
    expect(badDate?.slice(0, 4)).toEqual(['people.csv', '2', 'date_of_birth', '1980-02-30']);
    expect(badSex?.slice(0, 4)).toEqual(['people.csv', '3', 'sex', 'Q']);
    expect(badDate?.[4]).not.toBe('');
    expect(badSex?.[5]).not.toBe('');
    expect(await cells(problems.first()).count()).toBe(6);

    const link = page.getByTestId('problems-csv');
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/data\/imports\/\d+\/problems\.csv$/);
    const download = await page.request.get(`${app.url}${href ?? ''}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toMatch(/text\/csv/);
    const text = await download.text();
    expect(text).toContain('date_of_birth');
    expect(text).toContain('1980-02-30');
    await expectAccessible('import-rejected');

    expect(await rowsOnDataPage('people')).toBe(before);
  });

  test('skip invalid rows writes the valid rows and reports the rest', async () => {
    const before = await rowsOnDataPage('people');
    await chooseFiles(
      [
        {
          name: 'people.csv',
          buffer: csv([
            'person_id,service_id,date_of_birth,sex',
            'P-E2E-3,SVC-E2E-1,1979-04-01,F',
            'P-E2E-4,SVC-E2E-1,31/13/2024,M',
          ]),
        },
      ],
      { skipInvalid: true },
    );
    await submitUpload();
    await heading('Import complete with rows skipped').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('problem-row').count()).resolves.toBe(1);
    // The rejected rows come back as a CSV with the reason, ready to correct.
    const rejectedHref = await page.getByTestId('rejected-people').getAttribute('href');
    expect(rejectedHref).toMatch(/^\/api\/data\/imports\/\d+\/rejected\/people\.csv$/);
    const rejected = await page.request.get(`${app.url}${rejectedHref ?? ''}`);
    expect(rejected.status()).toBe(200);
    const rejectedText = await rejected.text();
    expect(rejectedText).toContain('P-E2E-4');
    expect(rejectedText).not.toContain('P-E2E-3');
    await expectAccessible('import-partial');
    expect(await rowsOnDataPage('people')).toBe(before + 1);
  });

  test('signs out', async () => {
    await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?signed-out=1$/);
    await heading('Sign in to Beacon').waitFor();
    await expect(page.locator('.nhsuk-inset-text').innerText()).resolves.toContain('You have signed out');
    await expect(page.getByRole('navigation', { name: 'Menu' }).count()).resolves.toBe(0);
    await expectAccessible('signed-out');

    // The session is gone on the server too.
    const me = await page.request.get(`${app.url}/api/auth/me`);
    expect(me.status()).toBe(401);
    await page.goto(`${app.url}/mat`);
    await page.waitForURL(/\/sign-in\?next=%2Fmat$/);
  });

  test('no page made a request to another site or logged an error', () => {
    expect(browser.problems).toEqual([]);
  });
});
