import type { ReactNode } from 'react';
import type { User } from '../../api/types';
import { matchPath } from '../../router/router';
import { AssuranceHome } from './AssuranceHome';
import { AuditPage } from './AuditPage';
import { ItemPage } from './ItemPage';
import { NeedsPage } from './NeedsPage';
import { PlanPage } from './PlanPage';
import './assurance.scss';

/** The assurance pages for a path, or null when the path is not one of them. */
export function assuranceRoute(pathname: string, user: User): ReactNode | null {
  if (matchPath('/assurance', pathname)) return <AssuranceHome user={user} />;
  if (matchPath('/assurance/plan', pathname)) return <PlanPage user={user} />;
  if (matchPath('/assurance/needs', pathname)) return <NeedsPage user={user} />;
  const item = matchPath('/assurance/audits/:id/items/:key', pathname);
  if (item?.id && item.key && /^\d+$/.test(item.id)) return <ItemPage key={`${item.id}/${item.key}`} user={user} id={Number(item.id)} itemKey={item.key} />;
  const audit = matchPath('/assurance/audits/:id', pathname);
  if (audit?.id && /^\d+$/.test(audit.id)) return <AuditPage key={audit.id} user={user} id={Number(audit.id)} />;
  return null;
}
