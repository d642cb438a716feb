/**
 * Demo content for the person record (issue 4), so `npm start --demo` shows a living care
 * plan: for the first service's highest-risk people, a planned action against their
 * first flag (from the recommended responses, due in a fortnight) and, for every other
 * one, an action already done. Deterministic: the same data give the same actions.
 */
import type { Db } from '../db';
import { addDays, RECOMMENDED_ACTIONS, type FlagCode } from '../../domain/risk';
import { loadRiskConfig } from '../risk/config-store';
import { createCareAction } from './actions';
import { loadCaseload } from './caseload';

export async function seedDemoPerson(db: Db, opts: { today: string; people?: number }): Promise<number> {
  const first = (await db.query<{ service_id: string }>('SELECT service_id FROM services ORDER BY service_id LIMIT 1'))[0];
  if (!first) return 0;
  const caseload = await loadCaseload(db, { date: opts.today, serviceIds: [first.service_id], riskConfig: await loadRiskConfig(db) });
  let n = 0;
  const chosen = caseload.people.filter((p) => p.tier !== 'low').slice(0, opts.people ?? 6);
  for (const [i, p] of chosen.entries()) {
    const flag = (p.flags.find((f) => f !== 'no_naloxone') ?? p.flags[0]) as FlagCode | undefined;
    if (!flag) continue;
    const recommended = RECOMMENDED_ACTIONS[flag].filter((a) => !a.appliesWhen || a.appliesWhen.inMat !== false);
    const planned = recommended[0];
    const done = recommended[1];
    if (planned) {
      await createCareAction(db, p.person_id, { flag, actionId: planned.id, text: planned.text, status: 'planned', dueDate: addDays(opts.today, i % 2 === 0 ? 14 : -3), owner: planned.owner }, 'system:demo');
      n++;
    }
    if (done && i % 2 === 1) {
      await createCareAction(db, p.person_id, { flag, actionId: done.id, text: done.text, status: 'done', owner: done.owner }, 'system:demo');
      n++;
    }
  }
  return n;
}
