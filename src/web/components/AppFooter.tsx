import { useHealth } from '../api/queries';
import { Link } from '../router/router';

const DATABASE_LABEL: Record<string, string> = {
  pglite: 'embedded database (PGlite)',
  postgres: 'PostgreSQL',
};

export function AppFooter({ signedIn }: { signedIn: boolean }) {
  const health = useHealth();
  return (
    <footer className="nhsuk-footer" role="contentinfo">
      <div className="nhsuk-width-container">
        <div className="nhsuk-footer__meta">
          {signedIn ? (
            <>
              <h2 className="nhsuk-u-visually-hidden">Support links</h2>
              <ul className="nhsuk-footer__list">
                <li className="nhsuk-footer__list-item">
                  <Link className="nhsuk-footer__list-item-link" to="/">
                    Home
                  </Link>
                </li>
                <li className="nhsuk-footer__list-item">
                  <Link className="nhsuk-footer__list-item-link" to="/data">
                    Data
                  </Link>
                </li>
              </ul>
            </>
          ) : null}
          <p className="nhsuk-body-s">
            Beacon{health.data ? ` ${health.data.version}` : ''}: open-source software for drug-treatment services, published
            under the MIT licence.
            {health.data ? ` Running on ${DATABASE_LABEL[health.data.database] ?? health.data.database}.` : ''}
          </p>
        </div>
      </div>
    </footer>
  );
}
