import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../testing/app';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../../testing/db';
import { DEMO_PASSWORD } from '../../bootstrap';

const AREA = 'E06000008';

interface Session {
  cookie: string;
  csrf: string;
}

describe.each(TEST_DB_KINDS)('alerts API on %s', (kind) => {
  let t: TestApp;
  let tdb: TestDb;
  const sessions = new Map<string, Session>();
  const received: Array<{ to: string[]; raw: string }> = [];
  let smtp: SMTPServer;
  const saved = { host: process.env.BEACON_SMTP_HOST, port: process.env.BEACON_SMTP_PORT };

  async function as(user: string): Promise<Session> {
    const known = sessions.get(user);
    if (known) return known;
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: user, password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const raw = res.headers['set-cookie'];
    const s = { cookie: String(Array.isArray(raw) ? raw[0] : raw).split(';')[0] ?? '', csrf: (res.json() as { csrfToken: string }).csrfToken };
    sessions.set(user, s);
    return s;
  }
  async function send(user: string, method: 'POST' | 'PUT', url: string, payload: unknown = {}) {
    const s = await as(user);
    return t.app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: payload as Record<string, unknown> });
  }
  async function get(user: string, url: string) {
    const s = await as(user);
    return t.app.inject({ url, headers: { cookie: s.cookie } });
  }

  beforeAll(async () => {
    smtp = new SMTPServer({
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
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    process.env.BEACON_SMTP_HOST = '127.0.0.1';
    process.env.BEACON_SMTP_PORT = String((smtp.server.address() as AddressInfo).port);
    tdb = await createTestDb(kind);
    t = await startTestApp({ db: tdb.db, webRoot: null });
  }, 180_000);
  afterAll(async () => {
    if (saved.host === undefined) delete process.env.BEACON_SMTP_HOST;
    else process.env.BEACON_SMTP_HOST = saved.host;
    if (saved.port === undefined) delete process.env.BEACON_SMTP_PORT;
    else process.env.BEACON_SMTP_PORT = saved.port;
    await t.close();
    await tdb.drop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('rejects bad input with problem+json', async () => {
    const r = await send('ldis', 'POST', '/api/alerts', { kind: 'alarm', basis: { type: 'manual', area: 'Blackburn' } });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    expect((await send('ldis', 'POST', '/api/alerts', { kind: 'formal_alert', basis: { type: 'manual', area: 'E06000009', title: 'x' } })).statusCode).toBe(400);
    expect((await send('ldis', 'POST', '/api/alerts/lists', { name: 'Bad', tier: 'partners', members: [{ email: 'nope' }] })).statusCode).toBe(400);
  });

  it('drafts, approves (two people), issues, e-mails each tier to its list only, and shows PIN members the redacted copy only', async () => {
    expect((await send('ldis', 'POST', '/api/alerts/lists', { name: 'Panel', tier: 'panel', members: [{ email: 'chair@example.org', name: 'Chair' }] })).statusCode).toBe(201);
    expect((await send('ldis', 'POST', '/api/alerts/lists', { name: 'PIN', tier: 'partners', members: [{ email: 'pin@example.org', name: 'PIN' }] })).statusCode).toBe(201);
    expect((await send('pin', 'POST', '/api/alerts/lists', { name: 'Mine', tier: 'panel', members: [{ email: 'me@example.org' }] })).statusCode).toBe(403);

    const created = await send('ldis', 'POST', '/api/alerts', { kind: 'formal_alert', basis: { type: 'manual', area: AREA, title: 'Alert: strong heroin' } });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: number }).id;
    const detail = (await get('ldis', `/api/alerts/${id}`)).json() as { versions: Array<{ content: Record<string, unknown> }> };
    const content = {
      ...detail.versions[0]?.content,
      what: 'Mr Tom Baker, DOB 04/05/1970, of 12 Church Road BB1 2AB overdosed; 3 overdoses in 2 days.',
      when: 'On 10 May 2024.',
      figures: [{ label: 'Overdoses, 7 days', count: 3 }],
    };
    expect((await send('ldis', 'PUT', `/api/alerts/${id}`, content)).statusCode).toBe(200);
    expect((await send('ldis', 'POST', `/api/alerts/${id}/submit`)).statusCode).toBe(200);
    expect((await send('ldis', 'POST', `/api/alerts/${id}/approve`)).statusCode).toBe(403);
    expect((await send('pin', 'POST', `/api/alerts/${id}/approve`)).statusCode).toBe(403);
    expect((await send('panel', 'POST', `/api/alerts/${id}/issue`)).statusCode).toBe(403);
    expect((await send('ldis', 'POST', `/api/alerts/${id}/issue`)).statusCode).toBe(409);
    expect((await send('panel', 'POST', `/api/alerts/${id}/approve`)).statusCode).toBe(200);

    const side = (await get('panel', `/api/alerts/${id}`)).json() as { preview: Record<string, { sections: Array<{ text: string }>; figures: Array<{ display: string }> }> };
    expect(JSON.stringify(side.preview.panel)).toContain('Tom Baker');
    expect(JSON.stringify(side.preview.partners)).not.toContain('Tom Baker');
    expect(side.preview.partners?.figures[0]?.display).toBe('*');

    const before = received.length;
    const issued = await send('ldis', 'POST', `/api/alerts/${id}/issue`);
    expect(issued.statusCode).toBe(200);
    expect((issued.json() as { delivery: { queued: number; sent: number } }).delivery).toMatchObject({ queued: 2, sent: 2 });
    const mails = received.slice(before);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['chair@example.org', 'pin@example.org']);
    const pinMail = (mails.find((m) => m.to[0] === 'pin@example.org')?.raw ?? '').replace(/=\r?\n/g, '');
    expect(pinMail).not.toContain('Tom Baker');
    expect(pinMail).not.toContain('BB1 2AB');
    expect(pinMail).not.toContain('04/05/1970');
    expect(pinMail).toContain('fewer than 8 overdoses');

    expect((await get('pin', `/api/alerts/${id}`)).statusCode).toBe(403);
    const shared = await get('pin', `/api/alerts/${id}/shared`);
    expect(shared.statusCode).toBe(200);
    expect(shared.body).not.toContain('Tom Baker');
    const list = (await get('pin', '/api/alerts')).json() as { tier: string; alerts: Array<{ id: number }> };
    expect(list.tier).toBe('partners');
    expect(list.alerts.map((a) => a.id)).toContain(id);
    const pdf = await get('pin', `/api/alerts/${id}/shared.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    const deliveries = (await get('ldis', '/api/alerts/deliveries')).json() as { deliveries: Array<{ email: string; status: string; version: number }> };
    expect(deliveries.deliveries.filter((d) => d.status === 'sent').map((d) => d.email).sort()).toEqual(['chair@example.org', 'pin@example.org']);
    expect((await get('pin', '/api/alerts/deliveries')).statusCode).toBe(403);

    // Audited: the issue and the PIN member's read of the shared copy.
    const audit = await tdb.db.query<{ action: string; username: string }>(`SELECT action, username FROM audit_log WHERE action IN ('alerts.issue', 'alerts.read_shared') AND outcome = 'allowed'`);
    expect(audit.map((a) => `${a.action}:${a.username}`)).toEqual(expect.arrayContaining(['alerts.issue:ldis', 'alerts.read_shared:pin']));
  });

  it('makes a PIN report; PIN members get the disclosure-controlled copy only', async () => {
    const r = await send('ldis', 'POST', '/api/alerts/pin-reports', { as_of: '2024-06-03' });
    expect(r.statusCode).toBe(201);
    const id = (r.json() as { id: number }).id;
    expect((await send('pin', 'POST', '/api/alerts/pin-reports', {})).statusCode).toBe(403);
    const pinView = (await get('pin', `/api/alerts/pin-reports/${id}?tier=panel`)).json() as { tier: string };
    expect(pinView.tier).toBe('partners');
    const xlsx = await get('pin', `/api/alerts/pin-reports/${id}/xlsx?tier=panel`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain('partners.xlsx');
    expect((await get('panel', `/api/alerts/pin-reports/${id}/pdf?tier=panel`)).headers['content-disposition']).toContain('panel.pdf');
  });
});
