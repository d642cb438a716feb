import { InvalidArgumentError, Option, type Command } from 'commander';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { detect, DETECTION_METHODS, type DetectionMethod, type SeriesPoint } from '../../domain/detection';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class SeriesFileError extends Error {
  override name = 'SeriesFileError';
}

/** Reads `series_id,period_start,count` rows, grouped by series in first-seen order. */
export async function readSeriesCsv(file: string): Promise<Map<string, SeriesPoint[]>> {
  const series = new Map<string, SeriesPoint[]>();
  const errors: string[] = [];
  let line = 1;
  let header: string[] | null = null;
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(createReadStream(file, 'utf8'), {
      skipEmptyLines: true,
      step: (result) => {
        const row = result.data;
        if (!header) {
          header = row.map((h) => h.trim().toLowerCase().replace(/^\ufeff/, ''));
          for (const need of ['series_id', 'period_start', 'count']) {
            if (!header.includes(need)) errors.push(`${file}, line 1: missing column ${need} (expected series_id,period_start,count)`);
          }
          return;
        }
        line++;
        if (errors.length > 50) return;
        const h = header;
        const get = (name: string) => (row[h.indexOf(name)] ?? '').trim();
        const id = get('series_id');
        const start = get('period_start');
        const countText = get('count');
        if (!id) errors.push(`${file}, line ${line}, column series_id: empty (expected a series name)`);
        const d = new Date(`${start}T00:00:00Z`);
        if (!ISO_DATE.test(start) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== start) {
          errors.push(`${file}, line ${line}, column period_start: "${start}" (expected an ISO date YYYY-MM-DD)`);
        } else if (d.getUTCDay() !== 1) {
          errors.push(`${file}, line ${line}, column period_start: "${start}" (expected the Monday that starts the week)`);
        }
        let count: number | null = null;
        if (countText !== '' && countText.toUpperCase() !== 'NA') {
          count = Number(countText);
          if (!Number.isInteger(count) || count < 0) errors.push(`${file}, line ${line}, column count: "${countText}" (expected a whole number ≥ 0, or empty for missing)`);
        }
        const list = series.get(id) ?? [];
        list.push({ period_start: start, count });
        series.set(id, list);
      },
      complete: () => resolve(),
      error: (err) => reject(new SeriesFileError(`${file}: ${err.message}`)),
    });
  });
  if (!header) errors.push(`${file}: the file is empty (expected a header series_id,period_start,count)`);
  if (errors.length) throw new SeriesFileError(errors.slice(0, 50).join('\n'));
  return series;
}

function num(name: string, min = -Infinity, max = Infinity) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}`);
    return n;
  };
}
function int(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}`);
    return n;
  };
}
function bool(name: string) {
  return (v: string): boolean => {
    const s = v.toLowerCase();
    if (['true', 't', '1', 'yes'].includes(s)) return true;
    if (['false', 'f', '0', 'no'].includes(s)) return false;
    throw new InvalidArgumentError(`${name} must be TRUE or FALSE`);
  };
}

interface DetectOpts {
  input: string;
  output?: string;
  method: DetectionMethod;
  alpha?: number;
  b?: number;
  w?: number;
  reweight?: boolean;
  weightsThreshold?: number;
  trend?: boolean;
  pThresholdTrend?: number;
  noPeriods?: number;
  pastWeeksNotIncluded?: number;
  powertrans?: '2/3' | '1/2' | 'none';
  thresholdMethod?: 'nbPlugin' | 'muan' | 'delta';
  limit54?: [number, number];
  baseline?: number;
}

function fmt(n: number | null): string {
  if (n === null) return '';
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
}

export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description('run exceedance detection on weekly count series from a CSV file')
    .requiredOption('--input <file>', 'CSV with columns series_id,period_start,count (period_start = the ISO Monday of the week)')
    .option('--output <file>', 'where to write the alarms CSV (default: standard output)')
    .addOption(new Option('--method <method>', 'detection method').choices([...DETECTION_METHODS]).default('farrington'))
    .option('--alpha <a>', 'one-sided significance level (farrington default 0.005; EARS: the package defaults)', num('--alpha', 0, 1))
    .option('--b <years>', 'farrington: years of history (default 5)', int('--b', 1))
    .option('--w <weeks>', 'farrington: half-width of the reference window (default 3)', int('--w', 0))
    .option('--reweight <bool>', 'farrington: down-weight past outbreaks (default TRUE)', bool('--reweight'))
    .option('--weights-threshold <t>', 'farrington: Anscombe residual threshold for reweighting (default 2.58)', num('--weights-threshold', 0))
    .option('--trend <bool>', 'farrington: fit a time trend (default TRUE)', bool('--trend'))
    .option('--p-threshold-trend <p>', 'farrington: keep the trend when its p-value is below this (default 1)', num('--p-threshold-trend', 0, 1))
    .option('--noPeriods <n>', 'farrington: levels of the seasonal factor, R\'s noPeriods (default 10)', int('--noPeriods', 1))
    .option('--past-weeks-not-included <n>', 'farrington: recent weeks left out of the baseline (default 26)', int('--past-weeks-not-included', 0))
    .addOption(new Option('--powertrans <p>', 'farrington: power transformation (default 2/3)').choices(['2/3', '1/2', 'none']))
    .addOption(new Option('--threshold-method <m>', 'farrington: threshold (default nbPlugin)').choices(['nbPlugin', 'muan', 'delta']))
    .option('--limit54 <cases,weeks>', 'farrington: no alarm unless at least this many cases in the last weeks (default 5,4)', (v: string): [number, number] => {
      const [c, w] = v.split(',').map(Number);
      if (!Number.isInteger(c) || !Number.isInteger(w) || (c ?? -1) < 0 || (w ?? 0) < 1) throw new InvalidArgumentError('--limit54 must be two whole numbers, e.g. 5,4');
      return [c ?? 5, w ?? 4];
    })
    .option('--baseline <n>', 'EARS: baseline periods (default 7)', int('--baseline', 3))
    .addHelpText(
      'after',
      `
Output columns: series_id,period_start,count,expected,upper_bound,alarm (alarm 0/1), for
every period with enough history for the method. Farrington defaults follow Noufaily et al.
(2013) as R's surveillance::farringtonFlexible names them; see docs/detection.md.

Examples:
  $ beacon detect --input series.csv --output alarms.csv
  $ beacon detect --input series.csv --method ears-c2 --output alarms.csv
  $ beacon detect --input series.csv --b 3 --w 2 --alpha 0.01 --output alarms.csv`,
    )
    .action(async (opts: DetectOpts) => {
      const all = await readSeriesCsv(opts.input);
      const lines = ['series_id,period_start,count,expected,upper_bound,alarm'];
      const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      for (const [id, points] of all) {
        const rows =
          opts.method === 'farrington'
            ? detect(points, 'farrington', {
                ...(opts.alpha !== undefined && { alpha: opts.alpha }),
                ...(opts.b !== undefined && { b: opts.b }),
                ...(opts.w !== undefined && { w: opts.w }),
                ...(opts.reweight !== undefined && { reweight: opts.reweight }),
                ...(opts.weightsThreshold !== undefined && { weightsThreshold: opts.weightsThreshold }),
                ...(opts.trend !== undefined && { trend: opts.trend }),
                ...(opts.pThresholdTrend !== undefined && { pThresholdTrend: opts.pThresholdTrend }),
                ...(opts.noPeriods !== undefined && { noPeriods: opts.noPeriods }),
                ...(opts.pastWeeksNotIncluded !== undefined && { pastWeeksNotIncluded: opts.pastWeeksNotIncluded }),
                ...(opts.powertrans !== undefined && { powertrans: opts.powertrans }),
                ...(opts.thresholdMethod !== undefined && { thresholdMethod: opts.thresholdMethod }),
                ...(opts.limit54 !== undefined && { limit54: opts.limit54 }),
              })
            : detect(points, opts.method, {
                ...(opts.alpha !== undefined && { alpha: opts.alpha }),
                ...(opts.baseline !== undefined && { baseline: opts.baseline }),
              });
        for (const r of rows) {
          lines.push([quote(id), r.period_start, fmt(r.count), fmt(r.expected), fmt(r.upper_bound), r.alarm ? '1' : '0'].join(','));
        }
      }
      const text = `${lines.join('\n')}\n`;
      if (opts.output) {
        await writeFile(opts.output, text);
        const alarms = lines.filter((l) => l.endsWith(',1')).length;
        console.error(`Wrote ${(lines.length - 1).toLocaleString('en-GB')} periods of ${all.size.toLocaleString('en-GB')} series (${alarms.toLocaleString('en-GB')} alarms) to ${opts.output}`);
      } else {
        process.stdout.write(text);
      }
    });
}
