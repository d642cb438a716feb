import { InvalidArgumentError, type Command } from 'commander';
import { resolve } from 'node:path';
import { generateDemo, DEMO_DEFAULTS } from '../../data/demo';

function wholeNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
    return n;
  };
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a realistic synthetic dataset in the v1 format (deterministic for a seed)')
    .option('--people <n>', `number of people (default ${DEMO_DEFAULTS.people})`, wholeNumber('--people'))
    .option('--months <m>', `months of history (default ${DEMO_DEFAULTS.months})`, wholeNumber('--months'))
    .option('--seed <s>', `random seed (default ${DEMO_DEFAULTS.seed})`, wholeNumber('--seed'))
    .option('--end-date <YYYY-MM-DD>', 'last day of the data (default: the last day of last month)')
    .option('--out <path>', 'folder to write the CSV files to', './demo-data')
    .addHelpText(
      'after',
      `
Examples:
  $ beacon demo --out ./demo                                   2,000 people, 24 months
  $ beacon demo --people 330000 --months 24 --out ./national   national scale (~5 million rows)
  $ beacon demo --seed 42 --end-date 2025-03-31 --out ./fixed  a fixed, reproducible set
Then load it with: beacon import ./demo`,
    )
    .action(async (opts: { people?: number; months?: number; seed?: number; endDate?: string; out: string }) => {
      const outDir = resolve(opts.out);
      let last = 0;
      const summary = await generateDemo({
        people: opts.people,
        months: opts.months,
        seed: opts.seed,
        endDate: opts.endDate,
        today: new Date().toISOString().slice(0, 10),
        outDir,
        onProgress: (done, total) => {
          const pct = Math.floor((done / total) * 100);
          if (process.stderr.isTTY && pct !== last) {
            last = pct;
            process.stderr.write(`\r  generating… ${pct}%`);
          }
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\r');
      console.log(`Wrote a synthetic dataset to ${outDir}: ${summary.people.toLocaleString('en-GB')} people, ${summary.months} months to ${summary.endDate}, ${summary.services} services, seed ${summary.seed}`);
      for (const [file, rows] of Object.entries(summary.files)) console.log(`  ${file.padEnd(16)} ${rows.toLocaleString('en-GB').padStart(12)} rows`);
      console.log(`  ${'total'.padEnd(16)} ${summary.totalRows.toLocaleString('en-GB').padStart(12)} rows`);
    });
}
