/**
 * Alerts in the demo: three distribution lists (fictitious example.org addresses), one
 * issued information share — the neighbouring area's nitazene cluster, shared with the
 * demo coordinator's own area (seed 000: tell neighbouring areas) — written by the LDIS
 * coordinator and approved by a panel member, one draft formal alert, and a PIN report.
 * Deterministic: the figures come from the demo's own LDIS reports.
 */
import type { Db } from '../db';
import { dayNumber, isoDate } from '../../domain/ldis/dates';
import { actOnAlert, createAlert, getAlert, updateAlert } from './alerts';
import { areaName, classifiedIncidents } from './areas';
import { createDistributionList, queueDeliveries } from './distribution';
import { generatePinReport } from './pinReports';

export interface DemoAlertsContext {
  /** The last day of the demo data. */
  endDate: string;
  /** The demo accounts' area (the LDIS coordinator's, panel's and PIN member's scope). */
  area: string;
  /** The area with the nitazene cluster. */
  clusterArea: string;
}

export async function seedDemoAlerts(db: Db, ctx: DemoAlertsContext): Promise<void> {
  const existing = await db.query('SELECT 1 FROM alerts LIMIT 1');
  if (existing.length > 0) return;
  const all = {};
  await createDistributionList(db, {
    name: 'LDIS panel',
    tier: 'panel',
    description: 'The LDIS panel: full copies.',
    members: [
      { email: 'ldis.coordinator@example.org', name: 'LDIS coordinator' },
      { email: 'public.health@example.org', name: 'Director of Public Health' },
      { email: 'treatment.lead@example.org', name: 'Treatment service clinical lead' },
    ],
    actor: 'system:demo',
  });
  await createDistributionList(db, {
    name: 'Professional Information Network',
    tier: 'partners',
    description: 'PIN members and wider partners: redacted copies.',
    members: [
      { email: 'pin@example.org', name: 'PIN mailbox' },
      { email: 'police.drugs@example.org', name: 'Police drugs lead' },
      { email: 'hostels@example.org', name: 'Hostels manager' },
      { email: 'ambulance.ldis@example.org', name: 'Ambulance service' },
    ],
    actor: 'system:demo',
  });
  await createDistributionList(db, {
    name: 'Public bulletin',
    tier: 'public',
    description: 'Outreach teams and peer networks who pass the public bulletin on.',
    members: [{ email: 'outreach@example.org', name: 'Outreach team' }],
    actor: 'system:demo',
  });

  const end = dayNumber(ctx.endDate) ?? 0;
  const from = isoDate(end - 27);
  const cluster = (await classifiedIncidents(db, [ctx.clusterArea], from, ctx.endDate)).filter((x) => !x.record.exercise);
  const matches = cluster.filter((x) => x.level !== null).length;
  const nitazene = cluster.filter((x) => x.nitazene).length;
  const overdoses = cluster.filter((x) => x.record.event_type === 'non_fatal_overdose' || x.record.event_type === 'death').length;
  const neighbour = areaName(ctx.clusterArea);
  const home = areaName(ctx.area);

  // An issued information share.
  const issuedId = await createAlert(db, { scope: all, actor: 'ldis', kind: 'information_share', basis: { type: 'manual', area: ctx.area, title: '' }, today: ctx.endDate });
  const issued = await getAlert(db, issuedId, all);
  const current = issued.versions[0]?.content;
  if (!current) throw new Error('internal: demo alert has no version');
  await updateAlert(db, issuedId, {
    scope: all,
    actor: 'ldis',
    content: {
      ...current,
      title: `Information: nitazenes in the heroin supply in neighbouring ${neighbour}`,
      what: `${neighbour} LDIS reports a cluster of overdoses with prolonged sedation needing several doses of naloxone, with ${nitazene} reports of a nitazene found by toxicology, forensic testing or drug checking in the last four weeks. Samples sold as heroin have tested positive for a nitazene. No case has been reported in ${home} so far.`,
      where: `${neighbour}, bordering ${home}.`,
      when: `${isoDate(end - 27)} to ${ctx.endDate}, continuing.`,
      figures: [
        { label: `Reports meeting the case definition in ${neighbour}, last 28 days`, count: matches },
        { label: `Reports with a nitazene found in ${neighbour}, last 28 days`, count: nitazene },
        { label: `Overdoses and deaths reported in ${neighbour}, last 28 days`, count: overdoses },
      ],
    },
  });
  await actOnAlert(db, issuedId, { scope: all, actor: 'ldis', action: 'submit' });
  await actOnAlert(db, issuedId, { scope: all, actor: 'panel', action: 'approve' });
  const r = await actOnAlert(db, issuedId, { scope: all, actor: 'ldis', action: 'issue' });
  await queueDeliveries(db, { itemType: 'alert', itemId: issuedId, version: r.version, tiers: ['panel', 'partners', 'public'], actor: 'ldis' });

  // A draft formal alert, waiting to be finished and sent for approval.
  const draftId = await createAlert(db, { scope: all, actor: 'ldis', kind: 'formal_alert', basis: { type: 'manual', area: ctx.area, title: `Alert: be ready for nitazenes in ${home}` }, today: ctx.endDate });
  const draft = await getAlert(db, draftId, all);
  const dc = draft.versions[0]?.content;
  if (dc) {
    await updateAlert(db, draftId, {
      scope: all,
      actor: 'ldis',
      content: {
        ...dc,
        what: `Partners in ${neighbour} have confirmed nitazenes in the local heroin supply. ${home} has had no confirmed case, but the supply lines overlap.`,
        when: `From ${ctx.endDate} until further notice.`,
      },
    });
  }

  await generatePinReport(db, { scope: all, actor: 'ldis', area: ctx.area, asOf: isoDate(end + 1) });
}
