import { UserIcon } from 'nhsuk-react-components';
import type { User } from '../api/types';
import { Link, useLocation } from '../router/router';

export const NAV_ITEMS: readonly { to: string; text: string }[] = [
  { to: '/mat', text: 'MAT' },
  { to: '/risk', text: 'Risk' },
  { to: '/early-warning', text: 'Early warning' },
  { to: '/ldis', text: 'LDIS' },
  { to: '/ldis/report', text: 'Report an incident' },
  { to: '/alerts', text: 'Alerts' },
  { to: '/assurance', text: 'Assurance' },
  { to: '/data', text: 'Data' },
  { to: '/admin', text: 'Admin' },
];

/**
 * The permissions (action names or prefixes ending in '.') that make an area worth a menu
 * item: the menu shows only areas the user's role can use. An area not listed here shows
 * to everyone signed in.
 */
export const NAV_ACCESS: Readonly<Record<string, readonly string[]>> = {
  '/mat': ['mat.'],
  '/risk': ['risk.report', 'risk.person', 'person.'],
  '/early-warning': ['warning.'],
  '/ldis': ['ldis.inbox'],
  '/ldis/report': ['ldis.submit'],
  '/alerts': ['alerts.list'],
  '/assurance': ['assurance.'],
  '/data': ['data.summary'],
  '/admin': ['admin.users.read', 'admin.audit.read', 'break_glass.review'],
};

/** Whether the user's role can use the area behind a menu item. */
export function canUseArea(user: User, to: string): boolean {
  const needs = NAV_ACCESS[to];
  if (!needs) return true;
  const permissions = user.permissions ?? [];
  // Whoever has the LDIS inbox files reports from there; the menu item is for partners.
  if (to === '/ldis/report' && permissions.includes('ldis.inbox')) return false;
  return needs.some((n) => (n.endsWith('.') ? permissions.some((p) => p.startsWith(n)) : permissions.includes(n)));
}

interface AppHeaderProps {
  user: User | null;
  onSignOut?: () => void;
  signingOut?: boolean;
}

/**
 * The NHS.UK header pattern with a plain "Beacon" wordmark in place of the NHS logo
 * (Beacon is used by charities and councils too), the signed-in user's name and role,
 * a sign-out button and the primary navigation.
 */
export function AppHeader({ user, onSignOut, signingOut }: AppHeaderProps) {
  const { pathname } = useLocation();
  return (
    <header className="nhsuk-header beacon-header" role="banner">
      <div className="nhsuk-header__container nhsuk-width-container">
        <div className="nhsuk-header__service">
          <Link className="nhsuk-header__service-name beacon-wordmark" to="/">
            Beacon
          </Link>
        </div>
        {user ? (
          <nav className="nhsuk-header__account" aria-label="Account">
            <ul className="nhsuk-header__account-list">
              <li className="nhsuk-header__account-item" data-testid="header-user">
                <Link className="nhsuk-header__account-link" to="/account">
                  <UserIcon />
                  <span className="nhsuk-u-visually-hidden">Signed in as </span>
                  {user.displayName}
                </Link>
              </li>
              <li className="nhsuk-header__account-item" data-testid="header-role">
                <span>
                  <span className="nhsuk-u-visually-hidden">Role: </span>
                  {user.roleLabel}
                  {user.scope.label ? <span className="beacon-header__scope"> ({user.scope.label})</span> : null}
                </span>
              </li>
              <li className="nhsuk-header__account-item">
                <form
                  className="nhsuk-header__account-form"
                  noValidate
                  onSubmit={(event) => {
                    event.preventDefault();
                    onSignOut?.();
                  }}
                >
                  <button className="nhsuk-header__account-button" type="submit" disabled={signingOut}>
                    Sign out
                  </button>
                </form>
              </li>
            </ul>
          </nav>
        ) : null}
      </div>
      {user ? (
        <nav className="nhsuk-header__navigation" aria-label="Menu">
          <div className="nhsuk-header__navigation-container nhsuk-width-container">
            <ul className="nhsuk-header__navigation-list">
              {NAV_ITEMS.filter((item) => canUseArea(user, item.to)).map((item) => {
                const current = pathname === item.to;
                const active = current || pathname.startsWith(`${item.to}/`);
                return (
                  <li
                    key={item.to}
                    className={`nhsuk-header__navigation-item${active ? ' nhsuk-header__navigation-item--current' : ''}`}
                  >
                    <Link
                      className="nhsuk-header__navigation-link"
                      to={item.to}
                      aria-current={current ? 'page' : active ? 'true' : undefined}
                    >
                      {active ? <strong className="nhsuk-header__navigation-item-current-fallback">{item.text}</strong> : item.text}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        </nav>
      ) : null}
    </header>
  );
}
