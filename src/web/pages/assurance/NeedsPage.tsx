import { InsetText } from 'nhsuk-react-components';
import { OUTCOME_DEFINITIONS, SEED_004_PREVALENCE, SUBSTANCE_GROUP_LABELS, type OutcomeKey } from '../../../domain/assurance/needs';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { useNeeds } from './api';
import { ComparatorSection, NeedsImport, PrevalenceSection } from './NeedsForms';
import { AssuranceNav, can, Scroll } from './shared';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v.toFixed(1)}%`);
const label = (k: OutcomeKey | 'penetration') => (k === 'penetration' ? 'Penetration: people known to treatment ÷ estimated users' : OUTCOME_DEFINITIONS[k].label);

export function NeedsPage({ user }: { user: User }) {
  usePageTitle('Needs assessment');
  const needs = useNeeds();
  const r = needs.data;
  const edit = can(user, 'assurance.needs.edit');
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Partnership assurance</span>
        Needs assessment
      </h1>
      <AssuranceNav user={user} />
      {!can(user, 'assurance.read') ? (
        <InsetText>
          <p>Your role does not give you access to the needs assessment.</p>
        </InsetText>
      ) : null}
      {needs.isPending ? <Loading>Loading the needs assessment…</Loading> : null}
      {needs.error ? <SectionProblem error={needs.error} what="the needs assessment" /> : null}
      {r ? (
        <>
          <p>12 months to {r.date}, with the two years before. Figures for sharing are disclosure-controlled: {r.disclosure}.</p>
          <Scroll label="Reach and outcomes">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption">Reach of treatment and outcomes beside regional and national figures</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Measure</th>
                  {r.figures[0]?.years.map((y) => (
                    <th scope="col" key={y.to}>
                      To {y.to}
                    </th>
                  ))}
                  <th scope="col">Shared (latest)</th>
                  <th scope="col">Regional</th>
                  <th scope="col">National</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {r.figures.map((f) => (
                  <tr key={f.key}>
                    <th scope="row">{label(f.key)}</th>
                    {f.years.map((y) => (
                      <td key={y.to}>
                        {pct(y.rate.pct)} ({y.rate.numerator} of {y.rate.denominator})
                      </td>
                    ))}
                    <td>
                      {pct(f.years[0]?.shared.pct)} ({f.years[0]?.shared.numerator.display} of {f.years[0]?.shared.denominator.display})
                    </td>
                    <td>{f.regional ? `${f.regional.value}% (${f.regional.period}; ${f.regional.source})` : '–'}</td>
                    <td>{f.national ? `${f.national.value}% (${f.national.period}; ${f.national.source})` : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
          {r.penetration ? (
            <p data-testid="penetration" className="beacon-assurance-wrap">
              Penetration: {r.penetration.known.toLocaleString('en-GB')} people known to treatment in the 12 months ÷ {r.penetration.estimate.toLocaleString('en-GB')} estimated opiate and/or crack users ={' '}
              {pct(r.penetration.pct)} ({r.penetration.areas.join(', ')}).{r.penetration.note ? ` ${r.penetration.note}.` : ''}
            </p>
          ) : (
            <p data-testid="penetration">Penetration needs an opiate and/or crack (OCU) prevalence estimate: enter or import one below.</p>
          )}
          <PrevalenceSection rows={r.prevalence} canEdit={edit} />
          <ComparatorSection rows={r.comparators_entered} canEdit={edit} />
          {edit ? <NeedsImport /> : null}
          <h2>Reference pattern: seed 004</h2>
          <Scroll label="Seed 004 prevalence">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption">Worcestershire prevalence estimates (Glasgow University), as in seed 004</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Year</th>
                  <th scope="col">Estimate</th>
                  <th scope="col">Per 1,000</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {SEED_004_PREVALENCE.map((p) => (
                  <tr key={`${p.group}-${p.year}`}>
                    <td>{SUBSTANCE_GROUP_LABELS[p.group]}</td>
                    <td>{p.year}</td>
                    <td>{p.estimate.toLocaleString('en-GB')}</td>
                    <td>{p.ratePer1000 ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </>
      ) : null}
    </>
  );
}
