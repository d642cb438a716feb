import type { User } from '../../api/types';
import { Link } from '../../router/router';

export function can(user: User, action: string): boolean {
  return user.permissions?.includes(action) ?? false;
}

/** Secondary navigation of the early-warning pages. */
export function WarningNav({ current }: { current: string }) {
  const items = [
    { to: '/early-warning', text: 'Overview' },
    { to: '/early-warning/settings', text: 'Methods and triggers' },
    { to: '/ldis', text: 'LDIS inbox' },
  ];
  return (
    <nav className="beacon-warning-nav" aria-label="Early warning">
      <ul className="nhsuk-list beacon-warning-nav__list">
        {items.map((i) => (
          <li key={i.to}>
            <Link to={i.to} aria-current={i.to === current ? 'page' : undefined}>
              {i.text}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
