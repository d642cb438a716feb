import { Button } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ErrorSummaryBox, ProblemSummary, SectionProblem, type ErrorItem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTimeShort } from '../../format';
import { Link } from '../../router/router';
import { ldisApi, useLdisMutation, useTokens } from './api';
import { can, LdisNav, ScrollTable, TextField } from './components';

const PARTNER = /^[a-z0-9][a-z0-9_.:-]{0,99}$/;

/** Partner organisations' API tokens: create (shown once), list, revoke. */
export function PartnersPage({ user }: { user: User }) {
  usePageTitle('Partner API tokens');
  const tokens = useTokens();
  const [partner, setPartner] = useState('');
  const [labelText, setLabelText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [shown, setShown] = useState<{ token: string; partner: string } | null>(null);
  const create = useLdisMutation((b: { partner: string; label: string }) => ldisApi.createToken(b));
  const revoke = useLdisMutation((id: string) => ldisApi.revokeToken(id));

  function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!PARTNER.test(partner.trim())) found.partner = 'Enter the organisation as lower-case letters, digits and - (for example west-midlands-police)';
    if (labelText.trim() === '') found.label = 'Say what the token is for, for example “CAD system”';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      { partner: partner.trim(), label: labelText.trim() },
      {
        onSuccess: (r) => {
          setShown({ token: r.token, partner: r.record.partner });
          setPartner('');
          setLabelText('');
        },
      },
    );
  }
  const items: ErrorItem[] = Object.entries(errors).map(([k, text]) => ({ href: `#${k}`, text }));
  const list = tokens.data?.tokens ?? [];
  return (
    <>
      <LdisNav user={user} current="/ldis/partners" />
      <span className="nhsuk-caption-l">Local drug information system</span>
      <h1>Partner API tokens</h1>
      <p>
        A partner organisation whose system sends reports to Beacon uses a token: it sends <code>Authorization: Bearer &lt;token&gt;</code> with each report to{' '}
        <code>POST /api/ldis/reports</code>. A retried report with the same report id is never stored twice. Beacon keeps only a hash of each token.
      </p>
      {can(user, 'admin.partners.read') ? (
        <p>
          The register of partner organisations, with these tokens by organisation, is in <Link to="/admin/partners">Administration</Link>.
        </p>
      ) : null}
      {shown ? (
        <div className="nhsuk-warning-callout" data-testid="new-token">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              New token for {shown.partner}
            </span>
          </h2>
          <p>Copy it now and give it to the partner securely. It will not be shown again.</p>
          <p className="beacon-ldis-token">
            <code>{shown.token}</code>
          </p>
        </div>
      ) : null}
      <h2>Create a token</h2>
      {items.length > 0 ? <ErrorSummaryBox title="There is a problem" items={items} /> : null}
      {create.error ? <ProblemSummary error={create.error} fieldIds={{ 'body.partner': 'partner', 'body.label': 'label' }} /> : null}
      <form noValidate onSubmit={submit} aria-label="Create a token">
        <TextField id="partner" label="Partner organisation" hint="Lower-case, for example west-midlands-police or bsol-ambulance." value={partner} onChange={setPartner} error={errors.partner} width={20} />
        <TextField id="label" label="What is it for?" hint="For example: CAD system, nightly export." value={labelText} onChange={setLabelText} error={errors.label} width={30} />
        <Button type="submit" disabled={create.isPending}>
          Create token
        </Button>
      </form>
      <h2>Tokens</h2>
      {revoke.error ? <ProblemSummary error={revoke.error} /> : null}
      {tokens.isPending ? <Loading>Loading tokens…</Loading> : null}
      {tokens.error ? <SectionProblem error={tokens.error} what="partner tokens" /> : null}
      {tokens.data && list.length === 0 ? <p>No tokens yet.</p> : null}
      {list.length > 0 ? (
        <ScrollTable label="Tokens">
          <table className="nhsuk-table" data-testid="tokens">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Tokens by partner organisation (revoked ones are kept for the record)</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">For</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {list.map((t) => (
                <tr key={t.id}>
                  <td>{t.partner}</td>
                  <td>{t.label}</td>
                  <td>
                    <code>{t.token_hint}</code>
                  </td>
                  <td>
                    {formatDateTimeShort(t.created_at)} by {t.created_by}
                  </td>
                  <td>{t.last_used_at ? formatDateTimeShort(t.last_used_at) : 'Never'}</td>
                  <td>
                    {t.revoked_at ? (
                      `Revoked ${formatDateTimeShort(t.revoked_at)} by ${t.revoked_by ?? ''}`
                    ) : (
                      <Button type="button" secondary small disabled={revoke.isPending} onClick={() => revoke.mutate(t.id)}>
                        Revoke<span className="nhsuk-u-visually-hidden"> the {t.label} token of {t.partner}</span>
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}
