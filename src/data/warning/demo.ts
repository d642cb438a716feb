/**
 * Early warning in the demo: the demo areas are each other's neighbours (one
 * partnership), detection runs once as of 20 days before the end of the data (when the
 * nitazene cluster was starting), that area's coordinator confirms what was proposed,
 * and detection runs again as of the end of the data — so the demo opens with living
 * series, an alarm, a step history, a neighbour's notification and a fresh proposal.
 */
import { formatIsoDate, parseIsoDate } from '../../domain/detection/dates';
import type { Db } from '../db';
import { getSetting, setSetting } from '../settings';
import { SETTING_KEYS } from './config';
import { areaNamer, runDetection } from './run';
import { applyStepAction, listAreaSteps } from './steps';
import { loadWarningSettings } from './config';

export interface DemoWarningContext {
  /** the last day of the demo data */
  endDate: string;
  /** days before endDate of the first run (default 20: the cluster's first days) */
  earlierDays?: number;
  say?: (line: string) => void;
}

export async function seedDemoWarning(db: Db, ctx: DemoWarningContext): Promise<void> {
  const areas = (await db.query<{ area: string }>('SELECT DISTINCT local_authority AS area FROM services WHERE local_authority IS NOT NULL ORDER BY 1')).map((r) => r.area);
  if ((await getSetting(db, SETTING_KEYS.adjacency)) === null && areas.length > 1) {
    await setSetting(db, SETTING_KEYS.adjacency, Object.fromEntries(areas.map((a) => [a, areas.filter((b) => b !== a)])), 'system:demo');
  }
  const earlier = formatIsoDate(parseIsoDate(ctx.endDate) - (ctx.earlierDays ?? 20));
  await runDetection(db, { trigger: 'demo', by: 'system:demo', asOf: earlier, force: true });
  const settings = await loadWarningSettings(db);
  const name = areaNamer(settings);
  for (const s of await listAreaSteps(db)) {
    if (!s.pending) continue;
    await db.transaction((tx) =>
      applyStepAction(
        tx,
        s.area,
        { type: 'confirm', at: new Date().toISOString(), by: `demo: ${name(s.area)} LDIS coordinator`, note: 'Agreed at the LDIS panel call' },
        settings.adjacency,
        name,
      ),
    );
  }
  const r = await runDetection(db, { trigger: 'demo', by: 'system:demo', asOf: ctx.endDate, force: true });
  ctx.say?.(`Early warning: ${r.seriesTotal} series evaluated as of ${r.asOf}, ${r.alarmsNew} alarm(s), ${r.proposals.filter((p) => p.pending).length} step proposal(s) waiting.`);
}
