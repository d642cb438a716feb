import { MatReportError } from '../../../data/mat/report';
import { HttpProblem } from '../../problem';

/** The last complete month (UTC) when none is asked for. */
export function defaultMonth(now: Date = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Report errors (unknown service, bad month) become problems; anything else is a 500. */
export function asProblem(err: unknown): never {
  if (err instanceof MatReportError) throw new HttpProblem(/No service/.test(err.message) ? 404 : 400, err.message);
  throw err;
}
