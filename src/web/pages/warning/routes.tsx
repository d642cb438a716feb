import type { ReactNode } from 'react';
import type { User } from '../../api/types';
import { matchPath } from '../../router/router';
import { AreaPage } from './AreaPage';
import { CaseloadPage } from './CaseloadPage';
import { OverviewPage } from './OverviewPage';
import { SeriesPage } from './SeriesPage';
import { IndicatorSettingsPage } from './IndicatorSettingsPage';
import { SettingsPage } from './SettingsPage';
import { StepRulesPage } from './StepRulesPage';

/** The warning pages for a path, or null when the path is not one of them. */
export function warningRoute(pathname: string, user: User): ReactNode | null {
  if (matchPath('/early-warning', pathname)) return <OverviewPage user={user} />;
  if (matchPath('/early-warning/caseload', pathname)) return <CaseloadPage user={user} />;
  if (matchPath('/early-warning/settings', pathname)) return <SettingsPage user={user} />;
  if (matchPath('/early-warning/settings/steps', pathname)) return <StepRulesPage user={user} />;
  const indicator = matchPath('/early-warning/settings/indicators/:indicator', pathname);
  if (indicator?.indicator) return <IndicatorSettingsPage key={pathname} user={user} indicator={indicator.indicator} />;
  const series = matchPath('/early-warning/series/:area/:indicator', pathname);
  if (series?.area && series.indicator) return <SeriesPage key={pathname} user={user} area={series.area} indicator={series.indicator} />;
  const area = matchPath('/early-warning/areas/:area', pathname);
  if (area?.area) return <AreaPage key={pathname} user={user} area={area.area} />;
  return null;
}
