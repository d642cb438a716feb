import { useQueryClient } from '@tanstack/react-query';
import { Button, SkipLink } from 'nhsuk-react-components';
import { useEffect, useRef, type ReactNode } from 'react';
import { onUnauthorised } from './api/client';
import { queryKeys, useSession } from './api/queries';
import type { Session, User } from './api/types';
import { useSignOut } from './auth/session';
import { CAPABILITIES } from './capabilities';
import { AppFooter } from './components/AppFooter';
import { AppHeader } from './components/AppHeader';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ProblemSummary } from './components/ErrorSummaryBox';
import { Loading } from './components/Loading';
import { CapabilityPage } from './pages/CapabilityPage';
import { DataPage } from './pages/DataPage';
import { HomePage } from './pages/HomePage';
import { ImportPage } from './pages/ImportPage';
import { ImportReportPage } from './pages/ImportReportPage';
import { MatPeoplePage } from './pages/mat/MatPeoplePage';
import { MatTrackerPage } from './pages/mat/MatTrackerPage';
import { MatWorklistsPage } from './pages/mat/MatWorklistsPage';
import { MatScReviewPage, MatSupervisedPage } from './pages/mat/MatSupervisedPage';
import { adminRoute } from './pages/admin/routes';
import { alertsRoute } from './pages/alerts/routes';
import { assuranceRoute } from './pages/assurance/routes';
import { ldisRoute } from './pages/ldis/routes';
import { personRoute } from './pages/person/routes';
import { warningRoute } from './pages/warning/routes';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';
import { matchPath, navigate, safeReturnPath, useLocation, useSearchParams } from './router/router';

/** The page for a path, for a signed-in user. */
function routePage(pathname: string, user: User): ReactNode {
  if (pathname === '/') return <HomePage user={user} />;
  if (matchPath('/mat', pathname)) return <MatTrackerPage user={user} />;
  if (matchPath('/mat/worklists', pathname)) return <MatWorklistsPage user={user} />;
  if (matchPath('/mat/people', pathname)) return <MatPeoplePage user={user} />;
  if (matchPath('/mat/supervised', pathname)) return <MatSupervisedPage user={user} />;
  const scReview = matchPath('/mat/supervised/review/:personId', pathname);
  if (scReview?.personId) return <MatScReviewPage key={scReview.personId} user={user} personId={scReview.personId} />;
  // Each area's pages (src/web/pages/<area>/routes.tsx), before the capability landing pages.
  for (const areaRoute of [personRoute, ldisRoute, warningRoute, alertsRoute, adminRoute, assuranceRoute]) {
    const page = areaRoute(pathname, user);
    if (page !== null) return page;
  }
  const capability = CAPABILITIES.find((c) => matchPath(c.path, pathname));
  if (capability) return <CapabilityPage key={capability.key} capability={capability} />;
  if (matchPath('/data', pathname)) return <DataPage />;
  if (matchPath('/data/import', pathname)) return <ImportPage />;
  const report = matchPath('/data/imports/:id', pathname);
  if (report?.id) return <ImportReportPage key={report.id} id={report.id} />;
  return <NotFoundPage />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const queryClient = useQueryClient();
  const session = useSession();
  const location = useLocation();
  const params = useSearchParams();
  const signOut = useSignOut();
  const user = session.data?.user ?? null;

  // A 401 from any request means the session has ended: go to sign-in and come back after.
  useEffect(
    () =>
      onUnauthorised(() => {
        const current = queryClient.getQueryData<Session | null>(queryKeys.session);
        if (!current) return;
        queryClient.setQueryData<Session | null>(queryKeys.session, null);
        const here = window.location.pathname + window.location.search;
        navigate(`/sign-in?expired=1&next=${encodeURIComponent(here)}`, { replace: true });
      }),
    [queryClient],
  );

  // On every navigation after the first page: back to the top, and focus on the new page's
  // heading so screen-reader users hear where they are.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const heading = document.querySelector<HTMLElement>('#maincontent h1');
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.classList.add('beacon-focus-target');
      heading.focus({ preventScroll: true });
    }
  }, [location.pathname]);

  let content: ReactNode;
  if (session.isPending) {
    content = <Loading>Loading Beacon…</Loading>;
  } else if (session.error) {
    content = (
      <>
        <ProblemSummary error={session.error} />
        <h1>Beacon is not available</h1>
        <p>Beacon could not check whether you are signed in.</p>
        <Button type="button" onClick={() => void session.refetch()}>
          Try again
        </Button>
      </>
    );
  } else if (location.pathname === '/sign-in') {
    content = user ? <Redirect to={safeReturnPath(params.get('next'))} /> : <SignInPage />;
  } else if (!user) {
    const here = location.pathname + location.search;
    content = <Redirect to={here === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`} />;
  } else {
    content = routePage(location.pathname, user);
  }

  return (
    <>
      <SkipLink href="#maincontent">Skip to main content</SkipLink>
      <AppHeader user={user} onSignOut={() => signOut.mutate()} signingOut={signOut.isPending} />
      <div className="nhsuk-width-container beacon-main-wrapper">
        <main className="nhsuk-main-wrapper" id="maincontent" role="main">
          <ErrorBoundary resetKey={location.pathname}>{content}</ErrorBoundary>
        </main>
      </div>
      <AppFooter signedIn={Boolean(user)} />
    </>
  );
}
