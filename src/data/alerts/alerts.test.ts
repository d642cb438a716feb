import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyText, findIdentifierLeaks } from '../../domain/alerts';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import {
  actOnAlert,
  createAlert,
  createDistributionList,
  generatePinReport,
  getAlert,
  getPinReport,
  listDeliveries,
  markReportIssued,
  processDeliveries,
  queueDeliveries,
  recordCoronerPermission,
  reviseAlert,
  retryNow,
  DeliveryWorker,
  setListMembers,
  sharedAlert,
  smtpMailer,
  smtpSettings,
  updateAlert,
  pinReportPdf,
  pinReportXlsx,
  alertPdf,
} from './index';

const AREA = 'E06000008';
const all = {};

/** The text of an uncompressed PDF written with a standard font (hex strings in TJ arrays). */
export function pdfText(buf: Buffer): string {
  const s = buf.toString('latin1');
  const out: string[] = [];
  for (const m of s.matchAll(/\[((?:<[0-9a-f]*>\s*-?\d*\.?\d*\s*)+)\]\s*TJ/g)) {
    for (const h of (m[1] ?? '').matchAll(/<([0-9a-f]*)>/g)) out.push(Buffer.from(h[1] ?? '', 'hex').toString('latin1'));
    out.push(' ');
  }
  return out.join('').replace(/\s+/g, ' ');
}

interface Received {
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that refuses one address. */
async function startSmtp(refuse: string): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address === refuse) cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function addReport(db: TestDb['db'], id: string, extra: Record<string, string | number | boolean | null> = {}, status = 'decided'): Promise<void> {
  const row: Record<string, string | number | boolean | null> = {
    report_id: id,
    received_at: '2024-05-11T09:00:00Z',
    source: 'police',
    event_date: '2024-05-10',
    event_type: 'non_fatal_overdose',
    local_authority: AREA,
    age: 41,
    sex: 'F',
    postcode: 'BB2 4QT',
    synthetic_opioid_suspected: true,
    substances: 'heroin; nitazene',
    notes: 'Found by Ms Jane Doe at 7 Kings Road, DOB 01/02/1983, NHS 943 476 5919.',
    ...extra,
  };
  const cols = Object.keys(row);
  await db.query(`INSERT INTO incidents (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
  await db.query(`INSERT INTO ldis_report_state (report_id, status, decision) VALUES ($1, $2, $3)`, [id, status, status === 'received' ? null : 'formal_alert']);
}

const IDENTIFIERS = { names: ['Jane Doe'], postcodes: ['BB2 4QT'], datesOfBirth: ['1983-02-01'], nhsNumbers: ['9434765919'], addresses: ['7 Kings Road'] };

describe.each(TEST_DB_KINDS)('alerts on %s', (kind) => {
  let tdb: TestDb;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    tdb = await createTestDb(kind);
    smtp = await startSmtp('bounce@example.org');
    await addReport(tdb.db, 'R-1');
    await addReport(tdb.db, 'R-NEW', {}, 'received');
    await addReport(tdb.db, 'R-COR', { source: 'coroner', event_type: 'death', notes: 'Toxicology: nitazene present. Mr Adam Jones of 3 Mill Lane.' });
  }, 120_000);
  afterAll(async () => {
    await smtp.close();
    await tdb.drop();
  });

  it('refuses to draft from a report not yet assessed, and drafts from an assessed one', async () => {
    await expect(createAlert(tdb.db, { scope: all, actor: 'ldis', kind: 'formal_alert', basis: { type: 'report', reportId: 'R-NEW' }, today: '2024-05-12' })).rejects.toMatchObject({ kind: 'conflict' });
    await expect(createAlert(tdb.db, { scope: { localAuthorities: ['E06000009'] }, actor: 'ldis', kind: 'formal_alert', basis: { type: 'report', reportId: 'R-1' }, today: '2024-05-12' })).rejects.toMatchObject({ kind: 'not_found' });
    const id = await createAlert(tdb.db, { scope: all, actor: 'ldis', kind: 'formal_alert', basis: { type: 'report', reportId: 'R-1' }, today: '2024-05-12' });
    const a = await getAlert(tdb.db, id, all);
    const c = a.versions[0]?.content;
    expect(c?.what).toContain('Jane Doe');
    expect(c?.where).toContain('BB2 4QT');
    expect(c?.actions.map((x) => x.agency)).toContain('LDIS');
    expect(a.status).toBe('draft');
    expect(findIdentifierLeaks(copyText(a.preview.partners), IDENTIFIERS)).toEqual([]);
    expect(copyText(a.preview.panel)).toContain('Jane Doe');
  });

  it('runs the two-person rule, issues, revises and keeps every version', async () => {
    const id = await createAlert(tdb.db, { scope: all, actor: 'ldis', kind: 'formal_alert', basis: { type: 'report', reportId: 'R-1' }, today: '2024-05-12' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'submit' });
    await expect(actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'approve' })).rejects.toMatchObject({ kind: 'conflict' });
    await expect(actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'issue' })).rejects.toMatchObject({ kind: 'conflict' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'panel', action: 'approve' });
    const issued = await actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'issue' });
    expect(issued).toEqual({ status: 'issued', version: 1, issued: true });
    // The report's LDIS workflow is told when it can be (this fixture has no workflow log).
    await expect(markReportIssued(tdb.db, id, 'ldis', '2024-05-12T12:00:00Z')).resolves.toBe(false);
    const shared = await sharedAlert(tdb.db, id, all);
    expect(findIdentifierLeaks(copyText(shared.copy), IDENTIFIERS)).toEqual([]);
    await expect(updateAlert(tdb.db, id, { scope: all, actor: 'ldis', content: shared.copy as never })).rejects.toMatchObject({ kind: 'conflict' });

    await expect(reviseAlert(tdb.db, id, { scope: all, actor: 'ldis', note: ' ' })).rejects.toMatchObject({ kind: 'invalid' });
    const v2 = await reviseAlert(tdb.db, id, { scope: all, actor: 'ldis', note: 'Toxicology confirmed nitazene' });
    expect(v2).toBe(2);
    const a = await getAlert(tdb.db, id, all);
    const content = a.versions[1]?.content;
    if (!content) throw new Error('no v2');
    await updateAlert(tdb.db, id, { scope: all, actor: 'ldis', content: { ...content, what: `${content.what} Toxicology has confirmed a nitazene.` } });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'submit' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'panel', action: 'approve' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'issue' });
    const after = await getAlert(tdb.db, id, all);
    expect(after.versions.map((v) => [v.version, v.status, v.revisionNote])).toEqual([
      [1, 'superseded', null],
      [2, 'issued', 'Toxicology confirmed nitazene'],
    ]);
    expect(after.versions[0]?.tiers?.partners).toBeTruthy();
    expect(after.events.map((e) => e.action)).toEqual(['drafted', 'sent for approval', 'approved', 'issued', 'revision started', 'edited', 'sent for approval', 'approved', 'issued']);
    expect((await sharedAlert(tdb.db, id, all)).earlier.map((e) => e.version)).toEqual([1]);
  });

  it('refuses to issue an alert from a report without a decision to share or alert', async () => {
    await addReport(tdb.db, 'R-ASSESSED', {}, 'assessed');
    await tdb.db.query(`UPDATE ldis_report_state SET decision = NULL WHERE report_id = 'R-ASSESSED'`);
    const id = await createAlert(tdb.db, { scope: all, actor: 'ldis', kind: 'formal_alert', basis: { type: 'report', reportId: 'R-ASSESSED' }, today: '2024-05-12' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'submit' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'panel', action: 'approve' });
    await expect(actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'issue' })).rejects.toThrow(/no decision to share or alert/);
  });

  it('holds the coroner’s information back until permission is recorded', async () => {
    const id = await createAlert(tdb.db, { scope: all, actor: 'ldis', kind: 'formal_alert', basis: { type: 'report', reportId: 'R-COR' }, today: '2024-05-12' });
    let a = await getAlert(tdb.db, id, all);
    expect(copyText(a.preview.panel)).toContain('nitazene present');
    expect(copyText(a.preview.partners)).not.toContain('nitazene present');
    expect(copyText(a.preview.partners)).not.toContain('Adam Jones');
    await expect(recordCoronerPermission(tdb.db, id, { scope: all, actor: 'panel', note: '', at: '2024-05-12T10:00:00Z' })).rejects.toMatchObject({ kind: 'invalid' });
    await recordCoronerPermission(tdb.db, id, { scope: all, actor: 'panel', note: 'Coroner’s officer agreed by phone', at: '2024-05-12T10:00:00Z' });
    a = await getAlert(tdb.db, id, all);
    expect(copyText(a.preview.partners)).toContain('nitazene present');
    expect(findIdentifierLeaks(copyText(a.preview.partners), { names: ['Adam Jones'], addresses: ['3 Mill Lane'] })).toEqual([]);
  });

  it('delivers each tier to its lists only, over real SMTP, retrying failures with backoff', async () => {
    await createDistributionList(tdb.db, { name: 'Panel', tier: 'panel', description: '', members: [{ email: 'Chair@Example.org', name: 'Chair' }], actor: 'ldis' });
    const pin = await createDistributionList(tdb.db, { name: 'PIN', tier: 'partners', description: '', members: [{ email: 'pin@example.org', name: 'PIN' }], actor: 'ldis' });
    await setListMembers(tdb.db, pin, { members: [{ email: 'pin@example.org', name: 'PIN' }, { email: 'bounce@example.org', name: 'Bouncer' }, { email: 'PIN@example.org', name: 'dup' }], actor: 'ldis' });
    await expect(setListMembers(tdb.db, pin, { members: [{ email: 'not-an-address', name: '' }], actor: 'ldis' })).rejects.toMatchObject({ kind: 'invalid' });
    await createDistributionList(tdb.db, { name: 'Public', tier: 'public', description: '', members: [{ email: 'public@example.org', name: 'Public' }], actor: 'ldis' });

    const id = await createAlert(tdb.db, { scope: all, actor: 'ldis', kind: 'formal_alert', basis: { type: 'report', reportId: 'R-1' }, today: '2024-05-12' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'submit' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'panel', action: 'approve' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'issue' });
    expect(await queueDeliveries(tdb.db, { itemType: 'alert', itemId: id, version: 1, tiers: ['panel', 'partners', 'public'], actor: 'ldis' })).toBe(4);
    expect(await queueDeliveries(tdb.db, { itemType: 'alert', itemId: id, version: 1, tiers: ['panel', 'partners', 'public'], actor: 'ldis' })).toBe(0);

    const settings = smtpSettings({ BEACON_SMTP_HOST: '127.0.0.1', BEACON_SMTP_PORT: String(smtp.port), BEACON_SMTP_FROM: 'LDIS <ldis@example.org>' });
    const mailer = smtpMailer(settings);
    const before = smtp.received.length;
    const t0 = Date.parse('2024-05-12T10:00:00Z');
    const r1 = await processDeliveries(tdb.db, { mailer, retry: settings.retry, now: t0, only: { itemType: 'alert', itemId: id } });
    expect(r1).toEqual({ attempted: 4, sent: 3, failed: 1 });
    const got = smtp.received.slice(before);
    expect(got.map((m) => m.to.join(',')).sort()).toEqual(['chair@example.org', 'pin@example.org', 'public@example.org']);
    const panelMail = got.find((m) => m.to.includes('chair@example.org'))?.raw ?? '';
    expect(panelMail).toContain('Jane Doe');
    for (const m of got.filter((x) => !x.to.includes('chair@example.org'))) {
      const text = m.raw.replace(/=\r?\n/g, '');
      expect(text).not.toContain('Jane Doe');
      expect(text).not.toContain('BB2 4QT');
      expect(text).not.toContain('943 476 5919');
    }

    let ds = await listDeliveries(tdb.db, { itemType: 'alert', itemId: id });
    const bounce = ds.find((d) => d.email === 'bounce@example.org');
    expect(bounce).toMatchObject({ status: 'retrying', attempts: 1, tier: 'partners', listName: 'PIN' });
    expect(bounce?.lastError).toMatch(/550/);
    expect(Date.parse(bounce?.nextAttemptAt ?? '')).toBe(t0 + 60_000);
    expect(ds.filter((d) => d.status === 'sent').every((d) => d.messageId && d.sentAt)).toBe(true);

    // Not yet due: nothing is attempted. Due: the second attempt, then the backoff grows.
    expect((await processDeliveries(tdb.db, { mailer, retry: settings.retry, now: t0 + 30_000 })).attempted).toBe(0);
    expect(await processDeliveries(tdb.db, { mailer, retry: settings.retry, now: t0 + 61_000 })).toEqual({ attempted: 1, sent: 0, failed: 1 });
    ds = await listDeliveries(tdb.db, { itemType: 'alert', itemId: id });
    expect(ds.find((d) => d.email === 'bounce@example.org')).toMatchObject({ attempts: 2, status: 'retrying' });
    expect(Date.parse(ds.find((d) => d.email === 'bounce@example.org')?.nextAttemptAt ?? '')).toBe(t0 + 61_000 + 240_000);
    // Sent deliveries are never sent again.
    expect(smtp.received.length - before).toBe(3);

    // Queuing the same version again adds nobody.
    expect(await queueDeliveries(tdb.db, { itemType: 'alert', itemId: id, version: 1, tiers: ['panel'], actor: 'ldis' })).toBe(0);
  });

  it('the background worker sends due deliveries; without SMTP they fail and wait', async () => {
    const id = await createAlert(tdb.db, { scope: all, actor: 'ldis', kind: 'information_share', basis: { type: 'manual', area: AREA, title: 'Worker test' }, today: '2024-05-12' });
    const a = await getAlert(tdb.db, id, all);
    const c = a.versions[0]?.content;
    if (!c) throw new Error('no content');
    await updateAlert(tdb.db, id, { scope: all, actor: 'ldis', content: { ...c, what: 'Strong batch.', when: 'Now.' } });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'submit' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'panel', action: 'approve' });
    await actOnAlert(tdb.db, id, { scope: all, actor: 'ldis', action: 'issue' });
    await queueDeliveries(tdb.db, { itemType: 'alert', itemId: id, version: 1, tiers: ['panel'], actor: 'ldis' });
    const saved = { host: process.env.BEACON_SMTP_HOST, port: process.env.BEACON_SMTP_PORT };
    const log = { info: () => undefined, error: () => undefined };
    try {
      delete process.env.BEACON_SMTP_HOST;
      const off = new DeliveryWorker(tdb.db, log);
      // (The refused address of the test before is due again too.)
      expect(await off.tick()).toMatchObject({ sent: 0 });
      await off.stop();
      const d = (await listDeliveries(tdb.db, { itemType: 'alert', itemId: id }))[0];
      expect(d).toMatchObject({ status: 'retrying', attempts: 1 });
      expect(d?.lastError).toMatch(/not configured/);
      await retryNow(tdb.db, { itemType: 'alert', itemId: id });
      process.env.BEACON_SMTP_HOST = '127.0.0.1';
      process.env.BEACON_SMTP_PORT = String(smtp.port);
      const on = new DeliveryWorker(tdb.db, log);
      expect(await on.tick()).toMatchObject({ sent: 1 });
      await on.stop();
      expect((await listDeliveries(tdb.db, { itemType: 'alert', itemId: id }))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      if (saved.host === undefined) delete process.env.BEACON_SMTP_HOST;
      else process.env.BEACON_SMTP_HOST = saved.host;
      if (saved.port === undefined) delete process.env.BEACON_SMTP_PORT;
      else process.env.BEACON_SMTP_PORT = saved.port;
    }
  });

  it('makes a PIN report with disclosure control, as PDF and XLSX', async () => {
    const id = await generatePinReport(tdb.db, { scope: all, actor: 'ldis', area: AREA, asOf: '2024-06-03' });
    const r = await getPinReport(tdb.db, id, all);
    expect(r.cadence).toBe('monthly');
    expect(r.periodStart).toBe('2024-05-01');
    expect(r.panel.tables.find((t) => t.id === 'submissions')?.total?.cells.at(-1)).toBe('4');
    expect(r.partners.tables.find((t) => t.id === 'submissions')?.total?.cells.at(-1)).toBe('*');
    await expect(getPinReport(tdb.db, id, { localAuthorities: ['E06000009'] })).rejects.toMatchObject({ kind: 'not_found' });

    const pdf = await pinReportPdf(r.partners, { compress: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('PIN report for Blackburn with Darwen');
    expect(findIdentifierLeaks(text, IDENTIFIERS)).toEqual([]);
    expect(text).toContain('* = a count of 1 to 7');

    const xlsx = await pinReportXlsx(r.partners);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Submissions', 'Case definition', 'Steps', 'Alarms', 'Data flow', 'Trend']);
    const sub = wb.getWorksheet('Submissions');
    const values: unknown[] = [];
    sub?.eachRow((row) => row.eachCell((c) => values.push(c.value)));
    for (const v of values) if (typeof v === 'number') expect(v === 0 || v >= 8).toBe(true);

    const a = await createAlert(tdb.db, { scope: all, actor: 'ldis', kind: 'information_share', basis: { type: 'report', reportId: 'R-1' }, today: '2024-05-12' });
    const copy = (await getAlert(tdb.db, a, all)).preview.partners;
    const apdf = pdfText(await alertPdf(copy, { kind: 'information_share', areaName: 'Blackburn with Darwen', version: 1, issuedAt: '2024-05-12T10:00:00Z', revisionNote: null }, { compress: false }));
    expect(apdf).toContain('Advice for people who use drugs');
    expect(findIdentifierLeaks(apdf, IDENTIFIERS)).toEqual([]);
  });
});
