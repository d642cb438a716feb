import { BackLink, Button, Select, Tag, TextInput, WarningCallout } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ErrorSummaryBox, ProblemSummary, SectionProblem, type ErrorItem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { can, dateTime, useCreatePartner, useCreatePartnerToken, usePartners, useRevokePartnerToken, type PartnerOrganisation } from './api';

const PARTNER_ID = /^[a-z0-9][a-z0-9_.:-]{0,99}$/;

/** Register a partner organisation (administrators). */
function RegisterForm() {
  const create = useCreatePartner();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<{ id?: string; name?: string }>({});
  const [done, setDone] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const e: { id?: string; name?: string } = {};
    if (!PARTNER_ID.test(id.trim())) e.id = 'Enter the id in lower-case letters, digits and - (for example west-midlands-police)';
    if (!name.trim()) e.name = 'Enter the organisation’s name';
    setErrors(e);
    setDone(null);
    if (e.id || e.name) return;
    create.mutate(
      { id: id.trim(), name: name.trim() },
      {
        onSuccess: (o) => {
          setDone(o.name);
          setId('');
          setName('');
        },
      },
    );
  };
  const items: ErrorItem[] = Object.entries(errors).map(([k, text]) => ({ href: `#partner-${k}`, text }));
  return (
    <>
      <h2>Register a partner organisation</h2>
      {items.length ? <ErrorSummaryBox title="There is a problem" items={items} /> : null}
      {create.error ? <ProblemSummary error={create.error} fieldIds={{ 'body.id': 'partner-id', 'body.name': 'partner-name', id: 'partner-id' }} /> : null}
      {done ? (
        <p data-testid="partner-registered">
          <strong>{done}</strong> is registered.
        </p>
      ) : null}
      <form noValidate onSubmit={submit} aria-label="Register a partner organisation">
        <TextInput id="partner-name" label="Name" labelProps={{ size: 's' }} hint="For example: West Midlands Police." width={30} autoComplete="off" value={name} onChange={(ev) => setName(ev.currentTarget.value)} error={errors.name} />
        <TextInput
          id="partner-id"
          label="Id"
          labelProps={{ size: 's' }}
          hint="Lower case, for example west-midlands-police. Its tokens and its submitters’ accounts carry this id."
          width={20}
          autoComplete="off"
          spellCheck={false}
          value={id}
          onChange={(ev) => setId(ev.currentTarget.value)}
          error={errors.id}
        />
        <Button type="submit" secondary disabled={create.isPending}>
          Register organisation
        </Button>
      </form>
    </>
  );
}

/** Create an API token for an organisation (administrators); the token is shown once. */
function TokenForm({ organisations, onCreated }: { organisations: PartnerOrganisation[]; onCreated: (t: { token: string; partner: string }) => void }) {
  const create = useCreatePartnerToken();
  const [partner, setPartner] = useState('');
  const [label, setLabel] = useState('');
  const [errors, setErrors] = useState<{ partner?: string; label?: string }>({});
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const e: { partner?: string; label?: string } = {};
    if (!partner) e.partner = 'Choose the partner organisation';
    if (!label.trim()) e.label = 'Say what the token is for, for example “CAD system”';
    setErrors(e);
    if (e.partner || e.label) return;
    create.mutate(
      { partner, label: label.trim() },
      {
        onSuccess: (r) => {
          onCreated({ token: r.token, partner: organisations.find((o) => o.id === r.record.partner)?.name ?? r.record.partner });
          setLabel('');
        },
      },
    );
  };
  const items: ErrorItem[] = Object.entries(errors).map(([k, text]) => ({ href: `#token-${k}`, text }));
  return (
    <>
      <h2>Create an API token</h2>
      {items.length ? <ErrorSummaryBox title="There is a problem" items={items} /> : null}
      {create.error ? <ProblemSummary error={create.error} fieldIds={{ 'body.label': 'token-label' }} /> : null}
      <form noValidate onSubmit={submit} aria-label="Create an API token">
        <Select id="token-partner" label="Partner organisation" labelProps={{ size: 's' }} value={partner} onChange={(ev) => setPartner(ev.currentTarget.value)} error={errors.partner}>
          <option value="">Choose an organisation</option>
          {organisations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name === o.id ? o.id : `${o.name} (${o.id})`}
            </option>
          ))}
        </Select>
        <TextInput id="token-label" label="What is it for?" labelProps={{ size: 's' }} hint="For example: CAD system, nightly export." width={30} autoComplete="off" value={label} onChange={(ev) => setLabel(ev.currentTarget.value)} error={errors.label} />
        <Button type="submit" disabled={create.isPending}>
          Create token
        </Button>
      </form>
    </>
  );
}

/**
 * Partner organisations and their API tokens (issue 8 §6): the register, tokens created
 * (shown once), when each was last used, and revoking. The LDIS coordinator's page
 * (/ldis/partners) works on the same tokens.
 */
export function PartnersPage({ user }: { user: User }) {
  usePageTitle('Partner organisations and API tokens');
  const partners = usePartners();
  const revoke = useRevokePartnerToken();
  const writable = can(user, 'admin.partners.write');
  const [shown, setShown] = useState<{ token: string; partner: string } | null>(null);
  const orgs = partners.data?.organisations ?? [];
  const tokens = partners.data?.tokens ?? [];
  const nameOf = (id: string) => orgs.find((o) => o.id === id)?.name ?? id;
  return (
    <>
      <BackLink asElement={Link} to="/admin">
        Administration
      </BackLink>
      <h1>Partner organisations and API tokens</h1>
      <p className="nhsuk-lede-text">Organisations that report to the local drug information system, and the tokens their systems use.</p>
      <p>
        A partner’s system sends <code>Authorization: Bearer &lt;token&gt;</code> with each report to <code>POST /api/ldis/reports</code>, acting as a partner submitter of its organisation. Beacon keeps only a hash of each token.
      </p>
      {shown ? (
        <WarningCallout data-testid="new-token">
          <WarningCallout.Heading>New token for {shown.partner}</WarningCallout.Heading>
          <p>Copy it now and give it to the partner securely. It will not be shown again.</p>
          <p className="beacon-secret">
            <code>{shown.token}</code>
          </p>
        </WarningCallout>
      ) : null}
      {partners.isPending ? <Loading>Loading partner organisations…</Loading> : null}
      {partners.error ? <SectionProblem error={partners.error} what="partner organisations" /> : null}
      {partners.data ? (
        <>
          <h2>Organisations</h2>
          {orgs.length === 0 ? <p>No partner organisations yet.</p> : null}
          {orgs.length > 0 ? (
            <div className="beacon-table-scroll" tabIndex={0} role="region" aria-label="Partner organisations">
              <table className="nhsuk-table" data-testid="partners-table">
                <caption className="nhsuk-table__caption nhsuk-table__caption--s">{orgs.length} partner organisations</caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th scope="col" className="nhsuk-table__header">Organisation</th>
                    <th scope="col" className="nhsuk-table__header">Id</th>
                    <th scope="col" className="nhsuk-table__header">Accounts</th>
                    <th scope="col" className="nhsuk-table__header">Tokens</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {orgs.map((o) => (
                    <tr className="nhsuk-table__row" key={o.id}>
                      <td className="nhsuk-table__cell">
                        {o.name} {o.registered ? null : <Tag color="grey">Not registered</Tag>}
                      </td>
                      <td className="nhsuk-table__cell">
                        <code>{o.id}</code>
                      </td>
                      <td className="nhsuk-table__cell">{o.users}</td>
                      <td className="nhsuk-table__cell">
                        {o.active_tokens} active{o.revoked_tokens ? `, ${o.revoked_tokens} revoked` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {writable ? <RegisterForm /> : null}
          {writable && orgs.length > 0 ? <TokenForm organisations={orgs} onCreated={setShown} /> : null}
          <h2>API tokens</h2>
          {revoke.error ? <ProblemSummary error={revoke.error} /> : null}
          {tokens.length === 0 ? <p>No tokens yet.</p> : null}
          {tokens.length > 0 ? (
            <div className="beacon-table-scroll" tabIndex={0} role="region" aria-label="API tokens">
              <table className="nhsuk-table" data-testid="partner-tokens">
                <caption className="nhsuk-table__caption nhsuk-table__caption--s">Tokens by organisation (revoked ones are kept for the record)</caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th scope="col" className="nhsuk-table__header">Organisation</th>
                    <th scope="col" className="nhsuk-table__header">For</th>
                    <th scope="col" className="nhsuk-table__header">Starts with</th>
                    <th scope="col" className="nhsuk-table__header">Created</th>
                    <th scope="col" className="nhsuk-table__header">Last used</th>
                    <th scope="col" className="nhsuk-table__header">Status</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {tokens.map((t) => (
                    <tr className="nhsuk-table__row" key={t.id}>
                      <td className="nhsuk-table__cell">{nameOf(t.partner)}</td>
                      <td className="nhsuk-table__cell">{t.label}</td>
                      <td className="nhsuk-table__cell">
                        <code>{t.token_hint}</code>
                      </td>
                      <td className="nhsuk-table__cell">
                        {dateTime(t.created_at)} by {t.created_by}
                      </td>
                      <td className="nhsuk-table__cell" data-testid="token-last-used">
                        {t.last_used_at ? dateTime(t.last_used_at) : 'Never'}
                      </td>
                      <td className="nhsuk-table__cell">
                        {t.revoked_at ? (
                          <>
                            <Tag color="grey">Revoked</Tag> {dateTime(t.revoked_at)} by {t.revoked_by ?? ''}
                          </>
                        ) : writable ? (
                          <Button type="button" secondary small disabled={revoke.isPending} onClick={() => revoke.mutate(t.id)}>
                            Revoke<span className="nhsuk-u-visually-hidden"> the {t.label} token of {nameOf(t.partner)}</span>
                          </Button>
                        ) : (
                          <Tag color="green">Active</Tag>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}
