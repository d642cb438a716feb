import type { ReactNode } from 'react';
import type { User } from '../../api/types';
import { matchPath } from '../../router/router';
import { AssuranceHome } from './AssuranceHome';
import { AuditPage } from './AuditPage';
import { ItemPage } from './ItemPage';
import { NeedsPage } from './NeedsPage';
import { PartnersPage } from './PartnersPage';
import { PlanEditPage } from './PlanEditPage';
import { PlanPage } from './PlanPage';
import { TrialRunPage } from './TrialRunPage';
import './assurance.scss';

/** The assurance pages for a path, or null when the path is not one of them. */
export function assuranceRoute(pathname: string, user: User): ReactNode | null {
  if (matchPath('/assurance', pathname)) return <AssuranceHome user={user} />;
  if (matchPath('/assurance/plan', pathname)) return <PlanPage user={user} />;
  if (matchPath('/assurance/plan/edit', pathname)) return <PlanEditPage user={user} />;
  const run = matchPath('/assurance/plan/trial-runs/:id', pathname);
  if (run?.id && /^\d+$/.test(run.id)) return <TrialRunPage key={run.id} user={user} id={Number(run.id)} />;
  if (matchPath('/assurance/needs', pathname)) return <NeedsPage user={user} />;
  if (matchPath('/assurance/partners', pathname)) return <PartnersPage user={user} />;
  const item = matchPath('/assurance/audits/:id/items/:key', pathname);
  if (item?.id && item.key && /^\d+$/.test(item.id)) return <ItemPage key={`${item.id}/${item.key}`} user={user} id={Number(item.id)} itemKey={item.key} />;
  const audit = matchPath('/assurance/audits/:id', pathname);
  if (audit?.id && /^\d+$/.test(audit.id)) return <AuditPage key={audit.id} user={user} id={Number(audit.id)} />;
  return null;
}
