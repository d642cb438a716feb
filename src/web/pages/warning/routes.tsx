import type { ReactNode } from 'react';
import type { User } from '../../api/types';
import { matchPath } from '../../router/router';
import { AreaPage } from './AreaPage';
import { CaseloadPage } from './CaseloadPage';
import { OverviewPage } from './OverviewPage';
import { SeriesPage } from './SeriesPage';
import { SettingsPage } from './SettingsPage';

/** The warning pages for a path, or null when the path is not one of them. */
export function warningRoute(pathname: string, user: User): ReactNode | null {
  if (matchPath('/early-warning', pathname)) return <OverviewPage user={user} />;
  if (matchPath('/early-warning/caseload', pathname)) return <CaseloadPage user={user} />;
  if (matchPath('/early-warning/settings', pathname)) return <SettingsPage user={user} />;
  const series = matchPath('/early-warning/series/:area/:indicator', pathname);
  if (series?.area && series.indicator) return <SeriesPage key={pathname} user={user} area={series.area} indicator={series.indicator} />;
  const area = matchPath('/early-warning/areas/:area', pathname);
  if (area?.area) return <AreaPage key={pathname} user={user} area={area.area} />;
  return null;
}
