import type { ReactNode } from 'react';
import type { User } from '../../api/types';
import { matchPath } from '../../router/router';
import { CaseListPage } from './CaseListPage';
import { GapsPage } from './GapsPage';
import { ImportCsvPage } from './ImportCsvPage';
import { InboxPage } from './InboxPage';
import { MyReportsPage } from './MyReportsPage';
import { PartnersPage } from './PartnersPage';
import { ReportFormPage } from './ReportFormPage';
import { ReportPage } from './ReportPage';
import { SentPage } from './SentPage';
import './ldis.css';

/** The ldis pages for a path, or null when the path is not one of them. */
export function ldisRoute(pathname: string, user: User): ReactNode | null {
  // Partner submitters land on their reports; staff on the inbox.
  if (matchPath('/ldis', pathname) || matchPath('/early-warning/reports', pathname)) {
    return user.role === 'partner_submitter' ? <MyReportsPage user={user} /> : <InboxPage user={user} />;
  }
  if (matchPath('/ldis/report', pathname)) return <ReportFormPage user={user} />;
  const sent = matchPath('/ldis/report/sent/:id', pathname);
  if (sent?.id) return <SentPage key={sent.id} id={sent.id} user={user} />;
  if (matchPath('/ldis/my-reports', pathname)) return <MyReportsPage user={user} />;
  const report = matchPath('/ldis/reports/:id', pathname);
  if (report?.id) return <ReportPage key={report.id} id={report.id} user={user} />;
  if (matchPath('/ldis/cases', pathname)) return <CaseListPage user={user} />;
  if (matchPath('/ldis/gaps', pathname)) return <GapsPage user={user} />;
  if (matchPath('/ldis/partners', pathname)) return <PartnersPage user={user} />;
  if (matchPath('/ldis/import', pathname)) return <ImportCsvPage user={user} />;
  return null;
}
