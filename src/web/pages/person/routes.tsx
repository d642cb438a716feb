import type { ReactNode } from 'react';
import type { User } from '../../api/types';
import { matchPath } from '../../router/router';
import { AdvisoriesPage, CaseloadPage, OpenActionsPage } from './CaseloadPage';
import { PersonRecordPage } from './PersonRecordPage';
import { RiskReportPage } from './RiskReportPage';
import { RiskSettingsPage } from './RiskSettingsPage';
import './person.css';

const can = (user: User, action: string): boolean => user.permissions?.includes(action) ?? false;

/** The person pages for a path, or null when the path is not one of them. */
export function personRoute(pathname: string, user: User): ReactNode | null {
  const person = matchPath('/people/:personId', pathname);
  if (person?.personId) return <PersonRecordPage key={person.personId} personId={person.personId} user={user} />;
  // /risk is the caseload for care-team roles; other roles get the capability page.
  if ((matchPath('/risk', pathname) || matchPath('/risk/caseload', pathname)) && can(user, 'person.caseload')) return <CaseloadPage user={user} />;
  if (matchPath('/risk/actions', pathname) && can(user, 'person.open_actions')) return <OpenActionsPage user={user} />;
  if (matchPath('/risk/advisories', pathname) && can(user, 'person.advisories')) return <AdvisoriesPage user={user} />;
  if (matchPath('/risk/report', pathname) && can(user, 'risk.report')) return <RiskReportPage user={user} />;
  if (matchPath('/risk/settings', pathname) && can(user, 'risk.config.read')) return <RiskSettingsPage user={user} />;
  return null;
}
