import { BackLink, Button, Select, TextInput } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ErrorSummaryBox, ProblemSummary, SectionProblem, type ErrorItem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatNumber } from '../../format';
import { Link, navigate, useSearchParams } from '../../router/router';
import { auditQueryString, can, dateTime, useAudit, verifyAudit, type AuditFilters, type ChainCheck } from './api';

const KEYS: (keyof AuditFilters)[] = ['user', 'action', 'resourceType', 'resourceId', 'outcome', 'from', 'to'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function filtersFrom(params: URLSearchParams): AuditFilters {
  const f = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ''])) as unknown as AuditFilters;
  return f;
}

const RESOURCE_TYPES = ['person', 'user', 'users', 'break_glass', 'audit_log', 'dataset', 'import', 'mat_report', 'mat_worklists', 'risk_report', 'route', 'session', 'sso'];

/**
 * Who saw what: the Caldicott guardian (or administrator) searches the audit log by user,
 * action, resource (a person's id), outcome and dates, downloads the result as CSV and
 * checks the hash chain that shows tampering.
 */
export function AuditPage({ user }: { user: User }) {
  usePageTitle('Audit log');
  const params = useSearchParams();
  const applied = filtersFrom(params);
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const [form, setForm] = useState<AuditFilters>(applied);
  const [errors, setErrors] = useState<Partial<Record<keyof AuditFilters, string>>>({});
  const valid = (!applied.from || DATE.test(applied.from)) && (!applied.to || DATE.test(applied.to));
  const audit = useAudit(valid ? applied : {}, page);
  const [check, setCheck] = useState<ChainCheck | null>(null);
  const [checkError, setCheckError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const e: Partial<Record<keyof AuditFilters, string>> = {};
    if (form.from && !DATE.test(form.from)) e.from = 'Enter the from date as YYYY-MM-DD, for example 2025-03-01';
    if (form.to && !DATE.test(form.to)) e.to = 'Enter the to date as YYYY-MM-DD, for example 2025-03-31';
    if (form.from && form.to && DATE.test(form.from) && DATE.test(form.to) && form.from > form.to) e.to = 'The to date must be on or after the from date';
    setErrors(e);
    if (Object.keys(e).length) return;
    navigate(`/admin/audit${auditQueryString(form)}`);
  };

  const runCheck = () => {
    setChecking(true);
    setCheckError(null);
    verifyAudit()
      .then(setCheck)
      .catch(setCheckError)
      .finally(() => setChecking(false));
  };

  const items: ErrorItem[] = (Object.keys(errors) as (keyof AuditFilters)[]).map((k) => ({ href: `#audit-${k}`, text: errors[k] ?? '' }));
  const data = audit.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const pageLink = (p: number) => `/admin/audit${auditQueryString(applied, p)}`;
  const input = (k: keyof AuditFilters, label: string, hint?: string) => (
    <TextInput id={`audit-${k}`} name={k} label={label} hint={hint} labelProps={{ size: 's' }} width={20} value={form[k]} onChange={(ev) => setForm({ ...form, [k]: ev.currentTarget.value })} error={errors[k]} />
  );

  return (
    <>
      <BackLink asElement={Link} to="/admin">
        Administration
      </BackLink>
      {items.length ? <ErrorSummaryBox title="There is a problem" items={items} /> : null}
      <h1>Audit log</h1>
      <p className="nhsuk-lede-text">Every read and change of identifiable data, every export, sign-in and change of configuration: who, what, when, why and from where.</p>

      <details className="nhsuk-details" open={KEYS.some((k) => applied[k]) || undefined}>
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Search the log</span>
        </summary>
        <div className="nhsuk-details__text">
          <form noValidate onSubmit={submit} aria-label="Search the audit log">
            {input('user', 'Username')}
            {input('resourceId', 'Record id', 'For example a person id, to see who opened their record')}
            <Select id="audit-resourceType" label="Kind of record" labelProps={{ size: 's' }} value={form.resourceType} onChange={(ev) => setForm({ ...form, resourceType: ev.currentTarget.value })}>
              <option value="">Any</option>
              {RESOURCE_TYPES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
            <Select id="audit-action" label="Action" labelProps={{ size: 's' }} value={form.action} onChange={(ev) => setForm({ ...form, action: ev.currentTarget.value })}>
              <option value="">Any</option>
              {(data?.actions ?? []).map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </Select>
            <Select id="audit-outcome" label="Outcome" labelProps={{ size: 's' }} value={form.outcome} onChange={(ev) => setForm({ ...form, outcome: ev.currentTarget.value })}>
              <option value="">Any</option>
              <option value="allowed">Allowed</option>
              <option value="denied">Refused</option>
              <option value="failed">Failed</option>
            </Select>
            {input('from', 'From date', 'YYYY-MM-DD')}
            {input('to', 'To date', 'YYYY-MM-DD')}
            <div className="beacon-actions">
              <Button type="submit">Search</Button>
              <Link to="/admin/audit" className="nhsuk-link">
                Clear the search
              </Link>
            </div>
          </form>
        </div>
      </details>

      {audit.isPending ? <Loading>Searching the audit log…</Loading> : null}
      {audit.error ? <SectionProblem error={audit.error} what="the audit log" /> : null}
      {data ? (
        <>
          <div className="beacon-actions">
            <p>
              {formatNumber(data.total)} {data.total === 1 ? 'record' : 'records'}, newest first{pages > 1 ? ` (page ${data.page} of ${formatNumber(pages)})` : ''}.
            </p>
            {can(user, 'admin.audit.export') ? (
              <Button secondary href={`/api/admin/audit.csv${auditQueryString(applied)}`} download>
                Download as CSV
              </Button>
            ) : null}
          </div>
          {/* Focusable so keyboard users can scroll it sideways on a small screen. */}
          <div className="beacon-table-scroll" tabIndex={0} role="region" aria-label="Audit records">
            <table className="nhsuk-table" data-testid="audit-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Audit records</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">When</th>
                  <th scope="col" className="nhsuk-table__header">Who</th>
                  <th scope="col" className="nhsuk-table__header">Action</th>
                  <th scope="col" className="nhsuk-table__header">Record</th>
                  <th scope="col" className="nhsuk-table__header">Outcome</th>
                  <th scope="col" className="nhsuk-table__header">Reason</th>
                  <th scope="col" className="nhsuk-table__header">From</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {data.rows.map((r) => (
                  <tr className="nhsuk-table__row" key={r.seq}>
                    <td className="nhsuk-table__cell beacon-nowrap">{dateTime(r.at)}</td>
                    <td className="nhsuk-table__cell">
                      {r.username ?? 'Not signed in'}
                      {r.role ? <span className="nhsuk-u-secondary-text-colour"> ({r.role})</span> : null}
                    </td>
                    <td className="nhsuk-table__cell">{r.action}</td>
                    <td className="nhsuk-table__cell">{[r.resource_type, r.resource_id].filter(Boolean).join(' ') || '–'}</td>
                    <td className="nhsuk-table__cell">{r.outcome === 'denied' ? 'Refused' : r.outcome === 'failed' ? 'Failed' : 'Allowed'}</td>
                    <td className="nhsuk-table__cell">{r.reason ?? ''}</td>
                    <td className="nhsuk-table__cell">{r.ip ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 ? (
            <nav className="beacon-actions" aria-label="Pages of results">
              {data.page > 1 ? <Link to={pageLink(data.page - 1)}>Previous page</Link> : null}
              {data.page < pages ? <Link to={pageLink(data.page + 1)}>Next page</Link> : null}
            </nav>
          ) : null}
        </>
      ) : null}

      {can(user, 'admin.audit.verify') ? (
        <>
          <h2>Check the log has not been changed</h2>
          <p>Each record carries a hash of its content and of the record before it. Checking recomputes every hash: an edited or deleted record shows.</p>
          {checkError ? <ProblemSummary error={checkError} /> : null}
          {check ? (
            check.ok ? (
              <div className="nhsuk-inset-text" role="status" data-testid="chain-ok">
                <span className="nhsuk-u-visually-hidden">Information: </span>
                <p>All {formatNumber(check.rows)} records check out: the chain is unbroken.</p>
              </div>
            ) : (
              <ErrorSummaryBox
                title="The audit log has been changed"
                description={<p>These records do not match the hash chain. Tell your Caldicott guardian and data protection officer.</p>}
                items={check.problems.map((p) => ({ text: `Record ${p.seq}: ${p.problem}` }))}
              />
            )
          ) : null}
          <Button secondary type="button" onClick={runCheck} disabled={checking}>
            {checking ? 'Checking…' : 'Check the hash chain'}
          </Button>
        </>
      ) : null}
    </>
  );
}
