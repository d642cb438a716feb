import { Tag } from 'nhsuk-react-components';
import { useState } from 'react';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTimeShort } from '../../format';
import { useGaps, type FlowRow } from './api';
import { LdisNav, ScrollTable, SelectField } from './components';
import { label, SOURCE_LABELS } from './labels';

function FlowTag({ row, days }: { row: FlowRow; days: number }) {
  switch (row.status) {
    case 'reporting':
      return <Tag modifier="green">Reporting</Tag>;
    case 'quiet':
      return <Tag modifier="orange">{`Nothing for ${days}+ days`}</Tag>;
    case 'never':
      return <Tag modifier="red">Never reported</Tag>;
    default:
      return <Tag modifier="grey">Another dataset</Tag>;
  }
}

function last(row: FlowRow): string {
  if (row.status === 'not_applicable') return '–';
  if (!row.last_at) return 'Never';
  return `${formatDateTimeShort(row.last_at)} (${row.days_since ?? 0} days ago)`;
}

/** Data-flow gaps: who is not sharing, per partner organisation, source and Appendix 2 data item. */
export function GapsPage({ user }: { user: User }) {
  usePageTitle('Data-flow gaps');
  const [days, setDays] = useState(28);
  const gaps = useGaps(days);
  const g = gaps.data;
  const quiet = g ? g.partners.filter((p) => p.status !== 'reporting').length + g.items.filter((i) => i.status === 'quiet' || i.status === 'never').length : 0;
  return (
    <>
      <LdisNav user={user} current="/ldis/gaps" />
      <span className="nhsuk-caption-l">Local drug information system</span>
      <h1>Data-flow gaps</h1>
      <p>When each partner and each data item of the partner information requests (seed 000 Appendix 2) last reported, and how many real reports arrived in the period, so you can see at a glance who is not sharing.</p>
      <form noValidate onSubmit={(e) => e.preventDefault()} aria-label="Choose the period">
        <SelectField
          id="days"
          label="Period"
          value={String(days)}
          onChange={(v) => setDays(Number(v))}
          options={[7, 14, 28, 56, 90].map((n) => ({ value: String(n), label: `Last ${n} days` }))}
        />
      </form>
      {gaps.isPending ? <Loading>Loading…</Loading> : null}
      {gaps.error ? <SectionProblem error={gaps.error} what="data-flow gaps" /> : null}
      {g ? (
        <>
          <p data-testid="gap-count">
            <strong>{quiet}</strong> partner{quiet === 1 ? '' : 's'} or data item{quiet === 1 ? '' : 's'} with nothing in the last {g.days} days.
          </p>
          <h2>Partner organisations</h2>
          <ScrollTable label="Partner organisations">
            <table className="nhsuk-table" data-testid="gaps-partners">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Organisations with an account, an API token or a report</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Organisation</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last report</th>
                  <th scope="col" className="nhsuk-table__header--numeric">Reports in period</th>
                  <th scope="col" className="nhsuk-table__header--numeric">Active tokens</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {g.partners.map((p) => (
                  <tr key={p.partner}>
                    <td>{p.kind === 'ldis_team' ? `${p.partner} (entered by the LDIS team)` : p.partner}</td>
                    <td>
                      <FlowTag row={p} days={g.days} />
                    </td>
                    <td>{last(p)}</td>
                    <td className="nhsuk-table__cell--numeric">{p.in_period}</td>
                    <td className="nhsuk-table__cell--numeric">{p.tokens}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          <h2>Data items agreed with partners</h2>
          <ScrollTable label="Data items">
            <table className="nhsuk-table" data-testid="gaps-items">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Seed 000 Appendix 2, item by item</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Agency</th>
                  <th scope="col">Data item</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last report</th>
                  <th scope="col" className="nhsuk-table__header--numeric">In period</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {g.items.map((i) => (
                  <tr key={i.id}>
                    <td>{i.agency}</td>
                    <td>
                      {i.proposed_data}
                      <br />
                      <span className="nhsuk-body-s">Arrives as: {i.feed}</span>
                    </td>
                    <td>
                      <FlowTag row={i} days={g.days} />
                    </td>
                    <td>{last(i)}</td>
                    <td className="nhsuk-table__cell--numeric">{i.status === 'not_applicable' ? '–' : i.in_period}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          <h2>By source</h2>
          <ScrollTable label="By source">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Every report, whichever way it arrived (form, API, file or dataset import)</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last report</th>
                  <th scope="col" className="nhsuk-table__header--numeric">In period</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {g.sources.map((s) => (
                  <tr key={s.source}>
                    <td>{label(SOURCE_LABELS, s.source)}</td>
                    <td>
                      <FlowTag row={s} days={g.days} />
                    </td>
                    <td>{last(s)}</td>
                    <td className="nhsuk-table__cell--numeric">{s.in_period}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : null}
    </>
  );
}
