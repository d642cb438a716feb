import { TextArea } from '../../components/FormField';
import { Button, InsetText, SummaryList } from 'nhsuk-react-components';
import { useState } from 'react';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { useAlert, useAlertsMutation, useSharedAlert, type AlertDetail, type Tier } from './api';
import { AlertsNav, can, DeliveryTable, isPanel, KIND_LABELS, PageHeading, TIER_LABELS, TierCopyView, timeLabel, VersionTag } from './components';

export function AlertPage({ user, id, version }: { user: User; id: number; version?: number }) {
  return isPanel(user) ? <PanelAlert user={user} id={id} version={version} /> : <SharedAlertPage user={user} id={id} />;
}

function SharedAlertPage({ user, id }: { user: User; id: number }) {
  const shared = useSharedAlert(id);
  const s = shared.data;
  usePageTitle(s ? s.copy.title : 'Alert');
  return (
    <>
      {shared.isPending ? <Loading>Loading the alert…</Loading> : null}
      {shared.error ? <SectionProblem error={shared.error} what="this alert" /> : null}
      {s ? (
        <>
          <PageHeading caption={`${KIND_LABELS[s.kind]} — ${s.areaName}`}>{s.copy.title}</PageHeading>
          <AlertsNav user={user} />
          <p className="nhsuk-body">
            Version {s.version}, issued {timeLabel(s.issuedAt)}. This is the partners’ and PIN copy: redacted, with small numbers suppressed.
          </p>
          {s.revisionNote ? (
            <InsetText>
              <p>
                <strong>What changed in version {s.version}:</strong> {s.revisionNote}
              </p>
            </InsetText>
          ) : null}
          <TierCopyView copy={{ ...s.copy, title: 'The alert' }} headingLevel={2} idPrefix="shared" />
          <p className="nhsuk-body">
            <a className="nhsuk-link" href={`/api/alerts/${s.id}/shared.pdf`} download>
              Download this copy as a PDF
            </a>
          </p>
          {s.earlier.length > 0 ? (
            <>
              <h2>Earlier versions</h2>
              <ul className="nhsuk-list nhsuk-list--bullet">
                {s.earlier.map((e) => (
                  <li key={e.version}>
                    Version {e.version}, issued {timeLabel(e.issuedAt)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function PanelAlert({ user, id, version }: { user: User; id: number; version: number | undefined }) {
  const alert = useAlert(id);
  const a = alert.data;
  usePageTitle(a ? (version ? `Version ${version}: ${a.title}` : a.title) : 'Alert');
  return (
    <>
      {alert.isPending ? <Loading>Loading the alert…</Loading> : null}
      {alert.error ? <SectionProblem error={alert.error} what="this alert" /> : null}
      {a ? <PanelAlertBody user={user} a={a} version={version} /> : null}
    </>
  );
}

function PanelAlertBody({ user, a, version }: { user: User; a: AlertDetail; version: number | undefined }) {
  const shown = a.versions.find((v) => v.version === (version ?? a.currentVersion));
  const act = useAlertsMutation<{ action: string; note?: string }, unknown>('POST', (b) => `/api/alerts/${a.id}/${b.action}`, (b) => (b.note === undefined ? {} : { note: b.note }));
  const retry = useAlertsMutation<object, unknown>('POST', () => `/api/alerts/${a.id}/deliveries/retry`);
  const [note, setNote] = useState('');
  const [reviseNote, setReviseNote] = useState('');
  const [permission, setPermission] = useState('');
  if (!shown) {
    return (
      <InsetText>
        <p>There is no version {version} of this alert.</p>
      </InsetText>
    );
  }
  const isCurrent = shown.version === a.currentVersion;
  const tiers = shown.tiers ?? (isCurrent ? a.preview : null);
  const frozen = shown.tiers !== null;
  const authoredByMe = shown.authors.some((x) => x.toLowerCase() === user.username.toLowerCase());
  const approvedByMe = shown.approvals.some((x) => x.toLowerCase() === user.username.toLowerCase());
  const hasCoroner = shown.content.coronerInformation.trim() !== '';

  return (
    <>
      <PageHeading caption={`${KIND_LABELS[a.kind]} — ${a.areaName}${version ? ` — version ${version}` : ''}`}>{shown.content.title}</PageHeading>
      <AlertsNav user={user} />
      {act.error ? <ProblemSummary error={act.error} fieldIds={{ note: 'note' }} /> : null}
      {act.isSuccess ? (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>Done.</p>
        </div>
      ) : null}
      <SummaryList>
        <SummaryList.Row>
          <SummaryList.Key>Status</SummaryList.Key>
          <SummaryList.Value>
            <VersionTag status={shown.status} /> version {shown.version}
            {a.issuedVersion && a.issuedVersion !== shown.version ? ` (version ${a.issuedVersion} is the one issued)` : ''}
          </SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Area</SummaryList.Key>
          <SummaryList.Value>
            {a.areaName}, Step {a.step}
          </SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Drafted from</SummaryList.Key>
          <SummaryList.Value>{a.basisType === 'report' ? `Report ${a.basisRef ?? ''}` : a.basisType === 'step_change' ? (a.basisRef ?? 'A step change') : 'The blank template'}</SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Written by</SummaryList.Key>
          <SummaryList.Value>{shown.authors.join(', ')}</SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Approved by</SummaryList.Key>
          <SummaryList.Value>
            {shown.approvals.length > 0 ? shown.approvals.join(', ') : 'Nobody yet'} ({a.requiredApprovals} approval{a.requiredApprovals === 1 ? '' : 's'} needed, never by an author)
          </SummaryList.Value>
        </SummaryList.Row>
        {shown.revisionNote ? (
          <SummaryList.Row>
            <SummaryList.Key>Revision note</SummaryList.Key>
            <SummaryList.Value>{shown.revisionNote}</SummaryList.Value>
          </SummaryList.Row>
        ) : null}
        <SummaryList.Row>
          <SummaryList.Key>Coroner’s information</SummaryList.Key>
          <SummaryList.Value>
            {!hasCoroner ? 'None in this alert' : a.coronerPermission ? `Shared with permission recorded by ${a.coronerPermission.by} (${a.coronerPermission.note})` : 'Held back from shared copies (no permission recorded)'}
          </SummaryList.Value>
        </SummaryList.Row>
      </SummaryList>

      {isCurrent && !version ? (
        <section aria-labelledby="next-heading" className="beacon-alerts-next">
          <h2 id="next-heading">What happens next</h2>
          {shown.status === 'draft' ? (
            <>
              <p className="nhsuk-body">This version is a draft. Finish it, then send it for approval by a panel member.</p>
              <div className="beacon-alerts-buttons">
                {can(user, 'alerts.draft') ? (
                  <Link className="nhsuk-button nhsuk-button--secondary" to={`/alerts/${a.id}/edit`}>
                    Edit the alert
                  </Link>
                ) : null}
                {can(user, 'alerts.submit') ? (
                  <Button type="button" onClick={() => act.mutate({ action: 'submit' })} disabled={act.isPending}>
                    Send for approval
                  </Button>
                ) : null}
              </div>
            </>
          ) : null}
          {shown.status === 'awaiting_approval' || shown.status === 'approved' ? (
            <>
              {shown.status === 'awaiting_approval' ? (
                can(user, 'alerts.approve') ? (
                  authoredByMe ? (
                    <InsetText>
                      <p>You wrote or edited this version, so another panel member must approve it (two-person rule).</p>
                    </InsetText>
                  ) : approvedByMe ? (
                    <p className="nhsuk-body">You have approved this version; it needs another approval.</p>
                  ) : (
                    <>
                      <p className="nhsuk-body">Check the copies for each audience below, then approve or send the version back.</p>
                      <Button type="button" onClick={() => act.mutate({ action: 'approve' })} disabled={act.isPending}>
                        Approve version {shown.version}
                      </Button>
                    </>
                  )
                ) : (
                  <p className="nhsuk-body">Waiting for a panel member to approve this version.</p>
                )
              ) : null}
              {shown.status === 'approved' && can(user, 'alerts.issue') ? (
                <>
                  <p className="nhsuk-body">Approved. Issuing freezes these copies and e-mails each audience its own copy.</p>
                  <Button type="button" onClick={() => act.mutate({ action: 'issue' })} disabled={act.isPending}>
                    Issue version {shown.version}
                  </Button>
                </>
              ) : null}
              {can(user, 'alerts.approve') ? (
                <details className="nhsuk-details">
                  <summary className="nhsuk-details__summary">
                    <span className="nhsuk-details__summary-text">Send this version back to draft</span>
                  </summary>
                  <div className="nhsuk-details__text">
                    <TextArea id="note" label="Why it is sent back" value={note} onChange={setNote} rows={3} />
                    <Button type="button" secondary onClick={() => act.mutate({ action: 'reject', note })} disabled={act.isPending}>
                      Send back
                    </Button>
                  </div>
                </details>
              ) : null}
            </>
          ) : null}
          {shown.status === 'issued' && can(user, 'alerts.draft') ? (
            <>
              <p className="nhsuk-body">Issued {timeLabel(shown.issuedAt)} by {shown.issuedBy}. To change it, start a revision: the issued version stays as it was sent.</p>
              <TextArea id="revision-note" label="Revision note: what changes and why" value={reviseNote} onChange={setReviseNote} rows={3} />
              <Button type="button" secondary onClick={() => act.mutate({ action: 'revise', note: reviseNote })} disabled={act.isPending}>
                Start version {shown.version + 1}
              </Button>
            </>
          ) : null}
          {hasCoroner && !a.coronerPermission && can(user, 'alerts.coroner_permission') ? (
            <details className="nhsuk-details">
              <summary className="nhsuk-details__summary">
                <span className="nhsuk-details__summary-text">Record permission to share the coroner’s information</span>
              </summary>
              <div className="nhsuk-details__text">
                <TextArea id="permission" label="Who gave permission, and how" value={permission} onChange={setPermission} rows={2} />
                <Button type="button" secondary onClick={() => act.mutate({ action: 'coroner-permission', note: permission })} disabled={act.isPending}>
                  Record permission
                </Button>
              </div>
            </details>
          ) : null}
        </section>
      ) : null}

      <h2 id="copies-heading">Copies for each audience{frozen ? ' (as issued)' : ' (as they would be issued now)'}</h2>
      {tiers ? (
        <div className="beacon-alerts-tiers" data-testid="tiers">
          {(['panel', 'partners', 'public'] as Tier[]).map((t) => (
            <div className="beacon-alerts-tiers__column" key={t}>
              <h3 className="beacon-alerts-tier-heading">{TIER_LABELS[t]}</h3>
              <TierCopyView copy={tiers[t]} idPrefix={`tier-${t}`} headingLevel={3} />
              <p className="nhsuk-body-s">
                <a className="nhsuk-link" href={`/api/alerts/${a.id}/versions/${shown.version}/pdf?tier=${t}`} download>
                  {TIER_LABELS[t]} as a PDF
                </a>
              </p>
            </div>
          ))}
        </div>
      ) : (
        <p className="nhsuk-body">This version was never issued, so it has no frozen copies.</p>
      )}

      <h2>Versions</h2>
      <div className="beacon-table-scroll" role="region" aria-labelledby="versions-caption" tabIndex={0}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="versions-caption">
            Every version of this alert
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Version</th>
              <th scope="col" className="nhsuk-table__header">Status</th>
              <th scope="col" className="nhsuk-table__header">Revision note</th>
              <th scope="col" className="nhsuk-table__header">Issued</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {a.versions.map((v) => (
              <tr className="nhsuk-table__row" key={v.version}>
                <td className="nhsuk-table__cell">
                  {v.version === shown.version ? `Version ${v.version} (shown)` : <Link to={v.version === a.currentVersion ? `/alerts/${a.id}` : `/alerts/${a.id}/versions/${v.version}`}>Version {v.version}</Link>}
                </td>
                <td className="nhsuk-table__cell">
                  <VersionTag status={v.status} />
                </td>
                <td className="nhsuk-table__cell">{v.revisionNote ?? '—'}</td>
                <td className="nhsuk-table__cell">{v.issuedAt ? `${timeLabel(v.issuedAt)} by ${v.issuedBy ?? ''}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Distribution</h2>
      <DeliveryTable deliveries={a.deliveries} caption="Who received which version, and when" />
      {a.deliveries.some((d) => d.status !== 'sent') && can(user, 'alerts.deliveries') ? (
        <>
          {retry.error ? <ProblemSummary error={retry.error} /> : null}
          <Button type="button" secondary onClick={() => retry.mutate({})} disabled={retry.isPending}>
            Retry deliveries that have not been sent
          </Button>
        </>
      ) : null}

      <h2>History</h2>
      <div className="beacon-table-scroll" role="region" aria-labelledby="history-caption" tabIndex={0}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="history-caption">
            Everything that happened to this alert
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">When</th>
              <th scope="col" className="nhsuk-table__header">Who</th>
              <th scope="col" className="nhsuk-table__header">What</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {a.events.map((e, i) => (
              <tr className="nhsuk-table__row" key={i}>
                <td className="nhsuk-table__cell">{timeLabel(e.at)}</td>
                <td className="nhsuk-table__cell">{e.actor}</td>
                <td className="nhsuk-table__cell">
                  Version {e.version} {e.action}
                  {e.note ? `: ${e.note}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
