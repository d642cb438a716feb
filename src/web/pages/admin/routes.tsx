import type { ReactNode } from 'react';
import type { User } from '../../api/types';
import { matchPath } from '../../router/router';
import { AccountPage } from './AccountPage';
import { AdminHomePage } from './AdminHomePage';
import { can } from './api';
import { AuditPage } from './AuditPage';
import { BreakGlassReviewPage, EmergencyAccessPage } from './BreakGlassPages';
import { NewUserPage, UserPage, UsersPage } from './UsersPages';
import { PartnersPage } from './PartnersPage';
import './admin.css';

function NotForYourRole() {
  return (
    <>
      <h1>Not available to your role</h1>
      <p>Your role does not give you access to this page. If you need it, ask your Beacon administrator.</p>
    </>
  );
}

/** The admin pages for a path, or null when the path is not one of them. */
export function adminRoute(pathname: string, user: User): ReactNode | null {
  if (matchPath('/account', pathname)) return <AccountPage user={user} />;
  const emergency = matchPath('/people/:id/emergency-access', pathname);
  if (emergency?.id) return can(user, 'break_glass.request') ? <EmergencyAccessPage key={emergency.id} personId={emergency.id} /> : <NotForYourRole />;
  if (!pathname.startsWith('/admin')) return null;
  const governance = can(user, 'admin.users.read') || can(user, 'admin.audit.read') || can(user, 'break_glass.review');
  if (!governance) return <NotForYourRole />;
  if (matchPath('/admin', pathname)) return <AdminHomePage user={user} />;
  if (matchPath('/admin/users', pathname)) return can(user, 'admin.users.read') ? <UsersPage user={user} /> : <NotForYourRole />;
  if (matchPath('/admin/users/new', pathname)) return can(user, 'admin.users.write') ? <NewUserPage /> : <NotForYourRole />;
  const one = matchPath('/admin/users/:id', pathname);
  if (one?.id && /^\d+$/.test(one.id)) return can(user, 'admin.users.read') ? <UserPage key={one.id} user={user} id={Number(one.id)} /> : <NotForYourRole />;
  if (matchPath('/admin/audit', pathname)) return can(user, 'admin.audit.read') ? <AuditPage key={window.location.search} user={user} /> : <NotForYourRole />;
  if (matchPath('/admin/partners', pathname)) return can(user, 'admin.partners.read') ? <PartnersPage user={user} /> : <NotForYourRole />;
  if (matchPath('/admin/emergency-access', pathname)) return can(user, 'break_glass.review') ? <BreakGlassReviewPage /> : <NotForYourRole />;
  return null;
}
