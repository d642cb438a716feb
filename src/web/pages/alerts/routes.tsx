import type { ReactNode } from 'react';
import type { User } from '../../api/types';
import { matchPath } from '../../router/router';
import { AlertPage } from './AlertPage';
import { AlertsListPage } from './AlertsListPage';
import { DistributionPage } from './DistributionPage';
import { EditAlertPage } from './EditAlertPage';
import { NewAlertPage } from './NewAlertPage';
import { PinReportPage, PinReportsPage } from './PinReportsPage';
import './alerts.css';

function numeric(s: string | undefined): number | null {
  return s && /^\d{1,15}$/.test(s) ? Number(s) : null;
}

/** The alerts pages for a path, or null when the path is not one of them. */
export function alertsRoute(pathname: string, user: User): ReactNode | null {
  if (matchPath('/alerts', pathname)) return <AlertsListPage user={user} />;
  if (matchPath('/alerts/new', pathname)) return <NewAlertPage user={user} />;
  if (matchPath('/alerts/distribution', pathname)) return <DistributionPage user={user} />;
  if (matchPath('/alerts/pin-reports', pathname)) return <PinReportsPage user={user} />;
  const report = numeric(matchPath('/alerts/pin-reports/:id', pathname)?.id);
  if (report !== null) return <PinReportPage key={report} user={user} id={report} />;
  const edit = numeric(matchPath('/alerts/:id/edit', pathname)?.id);
  if (edit !== null) return <EditAlertPage key={edit} user={user} id={edit} />;
  const v = matchPath('/alerts/:id/versions/:version', pathname);
  const vid = numeric(v?.id);
  const vnum = numeric(v?.version);
  if (vid !== null && vnum !== null) return <AlertPage key={`${vid}-${vnum}`} user={user} id={vid} version={vnum} />;
  const alert = numeric(matchPath('/alerts/:id', pathname)?.id);
  if (alert !== null) return <AlertPage key={alert} user={user} id={alert} />;
  return null;
}
