import { formatNumber } from '../format';

export interface Figure {
  key: string;
  value: number | null;
  label: string;
}

/** Key figures as a grid of large numbers with their labels. */
export function Figures({ figures, label }: { figures: readonly Figure[]; label: string }) {
  return (
    <ul className="beacon-figures" aria-label={label}>
      {figures.map((figure) => (
        <li key={figure.key} className="beacon-figure" data-testid={`figure-${figure.key}`}>
          <span className="beacon-figure__value">{formatNumber(figure.value)}</span>{' '}
          <span className="beacon-figure__label">{figure.label}</span>
        </li>
      ))}
    </ul>
  );
}
