import type { User } from '../../api/types';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { can, useGrants } from './api';

function Area({ to, title, text, extra }: { to: string; title: string; text: string; extra?: string | undefined }) {
  return (
    <li className="nhsuk-grid-column-one-third nhsuk-card-group__item">
      <div className="nhsuk-card nhsuk-card--clickable">
        <div className="nhsuk-card__content">
          <h2 className="nhsuk-card__heading nhsuk-heading-m">
            <Link className="nhsuk-card__link" to={to}>
              {title}
            </Link>
          </h2>
          <p className="nhsuk-card__description">{text}</p>
          {extra ? <p className="nhsuk-card__description">{extra}</p> : null}
        </div>
      </div>
    </li>
  );
}

/** Information governance: users, the audit log and emergency-access reviews, as the role allows. */
export function AdminHomePage({ user }: { user: User }) {
  usePageTitle('Administration');
  const canReview = can(user, 'break_glass.review');
  const reviews = useGrants('pending', canReview);
  return (
    <>
      <h1>Administration</h1>
      <p className="nhsuk-lede-text">Who can use Beacon, and who saw what.</p>
      <ul className="nhsuk-grid-row nhsuk-card-group">
        {can(user, 'admin.users.read') ? <Area to="/admin/users" title="Users" text="Accounts, roles, scopes, second factor; create, change, disable, reset." /> : null}
        {can(user, 'admin.partners.read') ? (
          <Area to="/admin/partners" title="Partner organisations" text="Organisations reporting to the LDIS and their API tokens: create, see when last used, revoke." />
        ) : null}
        {can(user, 'admin.audit.read') ? <Area to="/admin/audit" title="Audit log" text="Who saw or changed what, when and why; download; check it has not been changed." /> : null}
        {canReview ? (
          <Area
            to="/admin/emergency-access"
            title="Emergency access reviews"
            text="Records opened by breaking the glass: review each one and record the outcome."
            extra={reviews.data ? `${reviews.data.pending} to review` : undefined}
          />
        ) : null}
      </ul>
    </>
  );
}
