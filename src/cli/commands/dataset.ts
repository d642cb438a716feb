import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { exportDataset, importDataset, type ImportResult } from '../../data/dataset';
import { openCli } from '../context';

const SHOWN_PROBLEMS = 50;

function printResult(r: ImportResult): void {
  const out = r.status === 'succeeded' || r.status === 'validated' || r.status === 'partial' ? console.log : console.error;
  out(r.message);
  for (const f of r.files) {
    const bits = [`${f.rowsRead.toLocaleString('en-GB')} read`];
    if (f.rowsRejected) bits.push(`${f.rowsRejected.toLocaleString('en-GB')} rejected`);
    if (!r.dryRun && r.status !== 'rejected') bits.push(`${f.inserted.toLocaleString('en-GB')} new`, `${f.updated.toLocaleString('en-GB')} updated`, `${f.unchanged.toLocaleString('en-GB')} unchanged`);
    out(`  ${f.file.padEnd(20)} ${bits.join(', ')}`);
  }
  if (r.problems.length) {
    console.error(`\nProblems (${r.problemCount.toLocaleString('en-GB')}${r.problemCount > SHOWN_PROBLEMS ? `, first ${SHOWN_PROBLEMS} shown` : ''}):`);
    for (const p of r.problems.slice(0, SHOWN_PROBLEMS)) {
      const where = [p.file, p.line ? `line ${p.line}` : '', p.column ? `column ${p.column}` : ''].filter(Boolean).join(', ');
      const detail = [p.value !== '' ? `value "${p.value}"` : '', p.expected ? `expected ${p.expected}` : ''].filter(Boolean).join('; ');
      console.error(`  ${p.severity === 'warning' ? 'warning' : 'error'}: ${where}: ${p.message}${detail ? ` (${detail})` : ''}`);
    }
  }
}

export function registerDataset(program: Command): void {
  program
    .command('import <path>')
    .description('import a dataset v1: a folder of CSV files, one <table>.csv, or an .xlsx workbook (all-or-nothing)')
    .option('--dry-run', 'check everything and report, but write nothing')
    .option('--skip-invalid', 'write the valid rows; write the rejected rows with their reason to --rejects')
    .option('--rejects <folder>', 'where --skip-invalid writes <file>.rejected.csv', './rejected')
    .option('--problems <file>', 'write every problem found to this CSV (file,line,column,value,expected,message,severity)')
    .addHelpText(
      'after',
      `
Examples:
  $ beacon import ./export-2024-10            a folder of CSVs (services.csv, people.csv, …)
  $ beacon import prescriptions.csv --dry-run check one file against the database
  $ beacon import october.xlsx --skip-invalid --rejects ./rejected
Exit status: 0 when written (or valid on --dry-run), 1 when rejected.`,
    )
    .action(async (path: string, opts: { dryRun?: boolean; skipInvalid?: boolean; rejects: string; problems?: string }) => {
      const cli = await openCli();
      try {
        const source = resolve(path);
        const result = await cli.ctx.run(
          'data.import',
          { type: 'dataset', id: path },
          (db) =>
            importDataset(db, source, {
              dryRun: opts.dryRun,
              skipInvalid: opts.skipInvalid,
              username: cli.ctx.principal?.username ?? null,
              onProgress: (e) => {
                if (process.stderr.isTTY) {
                  const pct = e.totalBytes ? ` ${Math.floor((100 * e.bytesRead) / e.totalBytes)}%` : '';
                  process.stderr.write(`\r  ${e.phase} ${e.file}${pct} — ${e.rowsRead.toLocaleString('en-GB')} rows\x1b[K`);
                }
              },
            }),
          { dryRun: Boolean(opts.dryRun), skipInvalid: Boolean(opts.skipInvalid) },
        );
        if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
        printResult(result);
        if (opts.problems && result.problemCount > 0) {
          await writeFile(opts.problems, result.problemsCsv);
          console.error(`All problems written to ${opts.problems}`);
        }
        if (opts.skipInvalid && result.rejected.length) {
          const dir = resolve(opts.rejects);
          await mkdir(dir, { recursive: true });
          for (const f of result.rejected) {
            const file = join(dir, `${f.file.replace(/\.csv$/i, '')}.rejected.csv`);
            await writeFile(file, f.csv);
            console.error(`Rejected rows of ${f.file} (${f.rows.toLocaleString('en-GB')}) written to ${file}${f.complete ? '' : ' (cut short: too large to keep in full)'}`);
          }
        }
        if (result.status === 'rejected' || result.status === 'failed') process.exitCode = 1;
      } finally {
        await cli.close();
      }
    });

  program
    .command('export <target>')
    .description('export the dataset in the v1 format: a folder of CSV files, or a .xlsx workbook')
    .addHelpText('after', '\nExamples:\n  $ beacon export ./export-folder\n  $ beacon export beacon-dataset.xlsx')
    .action(async (target: string) => {
      const cli = await openCli();
      try {
        const result = await cli.ctx.run('data.export', { type: 'dataset', id: target }, (db) => exportDataset(db, resolve(target)));
        console.log(`Exported ${result.rows.toLocaleString('en-GB')} rows to ${result.target} in ${result.seconds.toFixed(1)} s`);
        for (const f of result.files) console.log(`  ${f.file.padEnd(20)} ${f.rows.toLocaleString('en-GB').padStart(12)} rows`);
      } finally {
        await cli.close();
      }
    });
}
