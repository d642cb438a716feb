import type { ReactNode } from 'react';
import { formatNumber } from '../../format';
import { Link } from '../../router/router';
import { BAND_LABELS, BANDS, formatDose, formatPct, ordinal, REGIME_KEYS, REGIME_LABELS } from './labels';
import { matHref, WHOLE_ORGANISATION } from './shared';
import type { Breakdown, Cell, ServiceData, TrackerResponse } from './types';

const STAGES = [
  { key: 'mat1', label: 'MAT 1 (induction)', stage: 'MAT1' },
  { key: 'mat2', label: 'MAT 2 (using on top)', stage: 'MAT2' },
  { key: 'mat3', label: 'MAT 3 (not using on top)', stage: 'MAT3' },
  { key: 'mat4', label: 'MAT 4 (detoxification)', stage: 'MAT4' },
  { key: 'uncategorised', label: 'Uncategorised', stage: 'uncategorised' },
] as const;

const RANKED = [
  { key: 'red', label: 'Red', better: 'lower' },
  { key: 'amber', label: 'Amber', better: 'lower' },
  { key: 'green', label: 'Green', better: 'higher' },
  { key: 'grey', label: 'Grey', better: 'higher' },
  { key: 'uncategorised', label: 'Uncategorised', better: 'lower' },
  { key: 'mat2', label: 'MAT 2', better: 'lower' },
  { key: 'mat3', label: 'MAT 3', better: 'higher' },
] as const;

const EMPTY: Cell = { count: 0, pct: null, mean_methadone_mg: null, mean_buprenorphine_mg: null };

interface Props {
  data: TrackerResponse;
  service: string | null;
  drill: boolean;
}

/**
 * The toolkit's Figure 8: MAT 1–4 and uncategorised, and MAT 2 and MAT 3 split by
 * Orange Guidelines band × prescribing regime; the organisation beside each figure and
 * the service's rank among all services.
 */
export function ServiceDataSection({ data, service, drill }: Props) {
  const org = data.service_data.organisation;
  const mine = service ? data.service_data.services.find((s) => s.service_id === service) : undefined;
  const figures: ServiceData = mine ?? org;
  const beside = mine ? org : null;
  const people = (filters: Record<string, string>, count: number, what: string): ReactNode =>
    drill && count > 0 ? (
      <Link to={matHref('/mat/people', { month: data.month, service: service ?? WHOLE_ORGANISATION, ...filters })}>
        {formatNumber(count)}
        <span className="nhsuk-u-visually-hidden"> people, {what}: see who</span>
      </Link>
    ) : (
      formatNumber(count)
    );
  const who = mine ? 'Service' : 'Organisation';

  return (
    <section aria-labelledby="service-data-heading" data-testid="service-data">
      <h2 id="service-data-heading">
        Service data
        <span className="nhsuk-caption-m">{mine ? `Service ${mine.service_id}` : 'Whole organisation'}, {formatNumber(figures.in_mat)} people in MAT</span>
      </h2>

      <div className="beacon-table-scroll" role="region" aria-labelledby="sd-stages-caption" tabIndex={0}>
        <table className="nhsuk-table" data-testid="service-data-stages">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="sd-stages-caption">
            People at each MAT stage{beside ? ', with the organisation beside the service (doses: service / organisation)' : ''}
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">Stage</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">{who} people</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">{who} %</th>
              {beside ? <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Organisation %</th> : null}
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Mean methadone, mg</th>
              <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Mean buprenorphine, mg</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {STAGES.map((s) => {
              const cell = figures[s.key];
              const other = beside?.[s.key];
              return (
                <tr className="nhsuk-table__row" key={s.key} data-testid={`stage-row-${s.key}`}>
                  <th scope="row" className="nhsuk-table__header">{s.label}</th>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{people({ stage: s.stage }, cell.count, s.label)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatPct(cell.pct)}</td>
                  {other ? <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatPct(other.pct)}</td> : null}
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                    {formatDose(cell.mean_methadone_mg)}
                    {other ? ` / ${formatDose(other.mean_methadone_mg)}` : ''}
                  </td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                    {formatDose(cell.mean_buprenorphine_mg)}
                    {other ? ` / ${formatDose(other.mean_buprenorphine_mg)}` : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {(['mat2', 'mat3'] as const).map((stage) => (
        <BandRegimeTable
          key={stage}
          stage={stage}
          figures={figures[stage]}
          beside={beside?.[stage] ?? null}
          who={who}
          people={people}
        />
      ))}

      {mine ? (
        <div className="beacon-table-scroll" role="region" aria-labelledby="sd-ranks-caption" tabIndex={0}>
          <table className="nhsuk-table" data-testid="service-data-ranks">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="sd-ranks-caption">
              How service {mine.service_id} ranks among the services (1st is best)
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th scope="col" className="nhsuk-table__header">Measure</th>
                <th scope="col" className="nhsuk-table__header">Better is</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Service %</th>
                <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Rank</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {RANKED.map((r) => {
                const rank = mine.ranks[r.key];
                return (
                  <tr className="nhsuk-table__row" key={r.key} data-testid={`rank-row-${r.key}`}>
                    <th scope="row" className="nhsuk-table__header">{r.label}</th>
                    <td className="nhsuk-table__cell">{r.better === 'lower' ? 'Lower %' : 'Higher %'}</td>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatPct(rank?.value)}</td>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric beacon-nowrap">
                      {rank?.rank ? `${ordinal(rank.rank)} of ${formatNumber(rank.of)}` : '–'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="nhsuk-body-s">Choose a service to see how it ranks among the services.</p>
      )}
    </section>
  );
}

interface BandRegimeTableProps {
  stage: 'mat2' | 'mat3';
  figures: Breakdown;
  beside: Breakdown | null;
  who: string;
  people: (filters: Record<string, string>, count: number, what: string) => ReactNode;
}

function BandRegimeTable({ stage, figures, beside, who, people }: BandRegimeTableProps) {
  const stageLabel = stage === 'mat2' ? 'MAT 2 (using on top)' : 'MAT 3 (not using on top)';
  const stageCode = stage === 'mat2' ? 'MAT2' : 'MAT3';
  const captionId = `sd-${stage}-caption`;
  return (
    <div className="beacon-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="nhsuk-table" data-testid={`service-data-${stage}`}>
        <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={captionId}>
          {stageLabel} by Orange Guidelines dose band and prescribing regime{beside ? ' (doses: service / organisation)' : ''}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">Band and regime</th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">{who} people</th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">{who} % of in MAT</th>
            {beside ? <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Organisation %</th> : null}
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Mean methadone, mg</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {BANDS.map((band) => {
            const total = figures.by_band[band] ?? EMPTY;
            const otherTotal = beside?.by_band[band] ?? EMPTY;
            if (total.count === 0 && otherTotal.count === 0 && band === 'n/a') return null;
            const regimes = REGIME_KEYS.filter((r) => (figures.by_band_regime[band]?.[r]?.count ?? 0) > 0 || (beside?.by_band_regime[band]?.[r]?.count ?? 0) > 0);
            return [
              <tr className="nhsuk-table__row beacon-table-group-heading" key={band} data-testid={`band-row-${stage}-${band}`}>
                <th scope="row" className="nhsuk-table__header">{BAND_LABELS[band]}: all regimes</th>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  <strong>{people({ stage: stageCode, band }, total.count, `${stageLabel}, ${BAND_LABELS[band]}`)}</strong>
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatPct(total.pct)}</td>
                {beside ? <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatPct(otherTotal.pct)}</td> : null}
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {formatDose(total.mean_methadone_mg)}
                  {beside ? ` / ${formatDose(otherTotal.mean_methadone_mg)}` : ''}
                </td>
              </tr>,
              ...regimes.map((regime) => {
                const cell = figures.by_band_regime[band]?.[regime] ?? EMPTY;
                const other = beside?.by_band_regime[band]?.[regime] ?? EMPTY;
                const what = `${stageLabel}, ${BAND_LABELS[band]}, ${REGIME_LABELS[regime]}`;
                return (
                  <tr className="nhsuk-table__row" key={`${band}-${regime}`} data-testid={`cell-row-${stage}-${band}-${regime}`}>
                    <th scope="row" className="nhsuk-table__header nhsuk-u-font-weight-normal">
                      <span className="nhsuk-u-visually-hidden">{BAND_LABELS[band]}, </span>
                      {REGIME_LABELS[regime]}
                    </th>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{people({ stage: stageCode, band, regime }, cell.count, what)}</td>
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatPct(cell.pct)}</td>
                    {beside ? <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatPct(other.pct)}</td> : null}
                    <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                      {formatDose(cell.mean_methadone_mg)}
                      {beside ? ` / ${formatDose(other.mean_methadone_mg)}` : ''}
                    </td>
                  </tr>
                );
              }),
            ];
          })}
          <tr className="nhsuk-table__row" data-testid={`total-row-${stage}`}>
            <th scope="row" className="nhsuk-table__header">All {stageLabel}</th>
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
              <strong>{people({ stage: stageCode }, figures.count, stageLabel)}</strong>
            </td>
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatPct(figures.pct)}</td>
            {beside ? <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatPct(beside.pct)}</td> : null}
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
              {formatDose(figures.mean_methadone_mg)}
              {beside ? ` / ${formatDose(beside.mean_methadone_mg)}` : ''}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
