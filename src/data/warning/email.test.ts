import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '../../domain/alerts/delivery';
import { formatIsoDate, parseIsoDate } from '../../domain/detection/dates';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { processDeliveries, smtpMailer, smtpSettings } from '../alerts';
import { appBaseUrl, runDetection, setEmailPreference, warningEmailRecipients } from '.';

/**
 * E-mail of early-warning notifications through the alerts outbox, sent to a real SMTP
 * server on loopback: who receives it (coordinators of the area or of the whole
 * organisation, with an address, not opted out), what it holds (aggregate facts and a
 * link, nothing from the reports' personal fields), and that a run finding nothing new
 * sends nothing.
 */
const AREA = 'E06000009';
const OTHER = 'E06000008';
const FIRST = parseIsoDate('2025-01-06'); // Monday
const WEEKS = 30;
const SPIKE = FIRST + 7 * WEEKS;
const AS_OF = formatIsoDate(SPIKE + 2);
const POSTCODE = 'FY1 4QZ';
const NOTE = 'Found by Ms Jane Doe at 7 Kings Road';

interface Received {
  to: string[];
  raw: string;
}

async function startSmtp(): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
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

/** Quoted-printable soft line breaks and escapes undone, enough to search the text. */
function plain(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\r/g, '')
    .replace(/\n[ \t]+/g, ' ');
}

async function addIncident(db: TestDb['db'], id: string, day: number, type: string, extra: Record<string, string | number | boolean | null> = {}): Promise<void> {
  const row: Record<string, string | number | boolean | null> = {
    report_id: id,
    received_at: `${formatIsoDate(day)}T12:00:00Z`,
    source: 'ambulance',
    event_date: formatIsoDate(day),
    event_type: type,
    local_authority: AREA,
    ...extra,
  };
  const cols = Object.keys(row);
  await db.query(`INSERT INTO incidents (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
}

async function addUser(db: TestDb['db'], username: string, role: string, scope: [string, string | null], active = true): Promise<number> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO users (username, display_name, role, scope_type, scope_id, active) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int AS id`,
    [username, `${username} display`, role, scope[0], scope[1], active],
  );
  return r[0]!.id;
}

describe.each(TEST_DB_KINDS)('early-warning e-mail on %s', (kind) => {
  let t: TestDb;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const deliveries = () =>
    t.db.query<{ item_id: number; email: string; status: string; kind: string }>(
      `SELECT d.item_id::int AS item_id, d.email, d.status, n.kind FROM deliveries d JOIN warning_notifications n ON n.id = d.item_id
        WHERE d.item_type = 'warning_notification' ORDER BY d.item_id, d.email`,
    );
  const send = async () => {
    const s = smtpSettings({ BEACON_SMTP_HOST: '127.0.0.1', BEACON_SMTP_PORT: String(smtp.port) });
    return processDeliveries(t.db, { mailer: smtpMailer(s), retry: DEFAULT_RETRY_POLICY, now: Date.now() });
  };

  beforeAll(async () => {
    t = await createTestDb(kind);
    smtp = await startSmtp();
    const db = t.db;
    // Two call-outs a week for 30 weeks, then 12 in two days, with postcodes and notes that
    // must never reach an e-mail, and a forensic nitazene finding (Step 2 at least).
    for (let w = 0; w < WEEKS; w++) {
      await addIncident(db, `A${w}a`, FIRST + 7 * w + 1, 'ambulance_callout');
      await addIncident(db, `A${w}b`, FIRST + 7 * w + 4, 'ambulance_callout');
    }
    for (let i = 0; i < 12; i++) await addIncident(db, `S${i}`, SPIKE + (i < 4 ? 0 : 1), 'ambulance_callout', { postcode: POSTCODE, age: 41, notes: NOTE });
    await addIncident(db, 'F1', SPIKE + 1, 'seizure_test', { source: 'police', forensic_nitazene: true, substances: 'heroin_6mam; nitazene', postcode: POSTCODE });
    await addIncident(db, 'Q1', SPIKE, 'ambulance_callout', { local_authority: OTHER });

    const areaCoordinator = await addUser(db, 'coord-area', 'ldis_coordinator', ['local_authority', AREA]);
    const wholeOrg = await addUser(db, 'coord-all', 'ldis_coordinator', ['organisation', null]);
    const otherArea = await addUser(db, 'coord-other', 'ldis_coordinator', ['local_authority', OTHER]);
    const optedOut = await addUser(db, 'coord-out', 'ldis_coordinator', ['local_authority', AREA]);
    const panel = await addUser(db, 'panel-1', 'panel_member', ['organisation', null]);
    const gone = await addUser(db, 'coord-gone', 'ldis_coordinator', ['local_authority', AREA], false);
    await addUser(db, 'coord-noaddress', 'ldis_coordinator', ['local_authority', AREA]);
    await setEmailPreference(db, areaCoordinator, { email: 'Area@Example.org', earlyWarning: true });
    await setEmailPreference(db, wholeOrg, { email: 'all@example.org', earlyWarning: true });
    await setEmailPreference(db, otherArea, { email: 'other@example.org', earlyWarning: true });
    await setEmailPreference(db, optedOut, { email: 'out@example.org', earlyWarning: false });
    await setEmailPreference(db, panel, { email: 'panel@example.org', earlyWarning: true });
    await setEmailPreference(db, gone, { email: 'gone@example.org', earlyWarning: true });
  }, 120_000);
  afterAll(async () => {
    await smtp?.close();
    await t?.drop();
  });

  it('recipients are the active coordinators of the area or the organisation with an address, not opted out', async () => {
    expect((await warningEmailRecipients(t.db, AREA)).map((r) => r.email)).toEqual(['all@example.org', 'area@example.org']);
    expect((await warningEmailRecipients(t.db, OTHER)).map((r) => r.email)).toEqual(['all@example.org', 'other@example.org']);
  });

  it('a run queues one e-mail per new alarm and proposal to each recipient, and sends them without personal data', async () => {
    await runDetection(t.db, { trigger: 'demand', by: 'tester', today: AS_OF });
    const queued = await deliveries();
    const notes = await t.db.query<{ id: number; kind: string; area: string }>(`SELECT id::int AS id, kind, area FROM warning_notifications WHERE kind IN ('new_alarm', 'step_proposed') ORDER BY id`);
    const inArea = notes.filter((n) => n.area === AREA);
    expect(inArea.some((n) => n.kind === 'new_alarm')).toBe(true);
    expect(inArea.some((n) => n.kind === 'step_proposed')).toBe(true);
    // Every notification of the area to its two recipients; none to anyone else.
    const forArea = queued.filter((d) => inArea.some((n) => n.id === d.item_id));
    expect(forArea).toHaveLength(inArea.length * 2);
    expect(new Set(queued.map((d) => d.email))).toEqual(new Set(['all@example.org', 'area@example.org', ...(notes.some((n) => n.area === OTHER) ? ['other@example.org'] : [])]));
    expect(queued.every((d) => d.status === 'pending')).toBe(true);

    const r = await send();
    expect(r).toMatchObject({ attempted: queued.length, sent: queued.length, failed: 0 });
    expect(smtp.received).toHaveLength(queued.length);
    const toArea = smtp.received.filter((m) => m.to.includes('area@example.org')).map((m) => plain(m.raw));
    const alarm = toArea.find((m) => /exceedance in ambulance call-outs/.test(m));
    expect(alarm, 'the exceedance e-mail').toBeTruthy();
    expect(alarm).toMatch(/Subject: Beacon early warning: Blackpool: exceedance in ambulance call-outs to overdoses, week of/);
    expect(alarm).toMatch(/12 ambulance call-outs against an expected 2; threshold/);
    expect(alarm).toContain(`${appBaseUrl()}/early-warning/areas/${AREA}`);
    const proposal = toArea.find((m) => /Step \d proposed/.test(m));
    expect(proposal, 'the proposal e-mail').toBeTruthy();
    for (const m of smtp.received.map((x) => plain(x.raw))) {
      expect(m).not.toContain(POSTCODE);
      expect(m).not.toContain('Jane Doe');
      expect(m).not.toContain('Kings Road');
      expect(m).not.toMatch(/\bS\d+\b|\bF1\b/); // no report identifiers
    }
    expect((await deliveries()).every((d) => d.status === 'sent')).toBe(true);
  });

  it('a run with nothing new queues nothing; a new alarm is e-mailed once', async () => {
    const before = (await deliveries()).length;
    await runDetection(t.db, { trigger: 'schedule', by: 'tester', today: AS_OF, force: true });
    expect((await deliveries()).length).toBe(before);
    // Three deaths in a day: a new count-trigger alarm in the area.
    for (let i = 0; i < 3; i++) await addIncident(t.db, `D${i}`, SPIKE + 2, 'death', { source: 'police' });
    await runDetection(t.db, { trigger: 'data_change', by: 'tester', today: AS_OF });
    const after = await deliveries();
    const added = after.slice(0).filter((d) => d.status === 'pending');
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((d) => d.kind === 'new_alarm' || d.kind === 'step_proposed')).toBe(true);
    expect(new Set(added.map((d) => d.email))).toEqual(new Set(['all@example.org', 'area@example.org']));
    await send();
    await runDetection(t.db, { trigger: 'schedule', by: 'tester', today: AS_OF, force: true });
    expect((await deliveries()).length).toBe(after.length);
    const deaths = smtp.received.map((m) => plain(m.raw)).filter((m) => /count trigger in suspected drug-related deaths/.test(m));
    expect(deaths.length).toBeGreaterThanOrEqual(2); // one each to the two recipients
  });

  it('opting out stops further e-mail; an empty address removes it', async () => {
    const id = (await t.db.query<{ id: number }>(`SELECT id::int AS id FROM users WHERE username = 'coord-area'`))[0]!.id;
    await setEmailPreference(t.db, id, { email: 'area@example.org', earlyWarning: false });
    expect((await warningEmailRecipients(t.db, AREA)).map((r) => r.email)).toEqual(['all@example.org']);
    const all = (await t.db.query<{ id: number }>(`SELECT id::int AS id FROM users WHERE username = 'coord-all'`))[0]!.id;
    expect(await setEmailPreference(t.db, all, { email: '', earlyWarning: true })).toEqual({ email: null, earlyWarning: true });
    expect(await warningEmailRecipients(t.db, AREA)).toEqual([]);
  });
});
