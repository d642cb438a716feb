import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { matReportCsv, matWorklistsCsv, riskReportCsv, writeMatWorkbook, writeMatWorklistsWorkbook, writeRiskWorkbook } from '../../data/mat/export';
import { matReport } from '../../data/mat/report';
import { withOpenActions } from '../../data/mat/worklist-actions';
import { riskReport } from '../../data/risk/report';
import { openCli } from '../context';
import { loadRiskConfig } from '../../data/risk/config-store';
import { todayUtc } from '../../clock';

interface ReportOptions {
  service?: string;
  format: 'json' | 'csv' | 'xlsx';
  out?: string;
  months?: string;
  worklists?: boolean;
}

/** Writes text to --out, or to stdout (and nothing else goes to stdout). */
async function emit(text: string, out: string | undefined): Promise<void> {
  if (out) {
    await writeFile(out, text, { mode: 0o600 });
    console.error(`Written to ${out}`);
    return;
  }
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}

function needOut(opts: ReportOptions): string {
  if (!opts.out) throw new Error('--format xlsx needs --out <file.xlsx>');
  return opts.out;
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('MAT and overdose-risk reports (JSON, CSV or XLSX)');

  report
    .command('mat')
    .description('the MAT report of a month: tracker, service data, people, priorities with open care-plan actions (docs/mat-report.md)')
    .requiredOption('--month <YYYY-MM>', 'the report month (its last day is the report date)')
    .option('--service <id>', 'one service (default: every service)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'xlsx']).default('json'))
    .addOption(new Option('--months <n>', 'month ends in the tracker series').choices(['12', '24']).default('12'))
    .option('--worklists', 'only the priority worklists with their care-plan action columns, as the worklists downloads of the web app (csv: worklist rows instead of people rows)')
    .option('--out <file>', 'write to a file (default: stdout for json and csv)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ beacon report mat --month 2024-06 --format json > mat.json\n  $ beacon report mat --month 2024-06 --service S1 --format xlsx --out mat.xlsx\n  $ beacon report mat --month 2024-06 --worklists --format csv --out worklists.csv',
    )
    .action(async (opts: ReportOptions & { month: string }) => {
      if (opts.format === 'xlsx') needOut(opts);
      const cli = await openCli();
      try {
        const worklistsOnly = opts.worklists === true;
        const r = await cli.ctx.run(
          worklistsOnly ? 'mat.worklists' : 'mat.report',
          { type: worklistsOnly ? 'mat_worklists' : 'mat_report', id: opts.service ?? opts.month },
          async (db) =>
            withOpenActions(
              db,
              await matReport(db, { month: opts.month, serviceId: opts.service ?? null, serviceIds: await cli.ctx.visibleServiceIds(), trackerMonths: Number(opts.months ?? '12'), riskConfig: await loadRiskConfig(db) }),
              todayUtc(),
            ),
          { month: opts.month, format: opts.format, ...(worklistsOnly ? { worklists: true } : {}) },
        );
        if (opts.format === 'xlsx') {
          const out = needOut(opts);
          await (worklistsOnly ? writeMatWorklistsWorkbook(r, out) : writeMatWorkbook(r, out));
          console.error(`Written to ${out}`);
        } else if (opts.format === 'csv') {
          await emit(worklistsOnly ? matWorklistsCsv(r) : matReportCsv(r), opts.out);
        } else {
          const doc = worklistsOnly ? { month: r.month, date: r.date, service_id: r.service_id, worklists: r.worklists, actions_as_of: r.actions_as_of } : r;
          await emit(`${JSON.stringify(doc, null, 2)}\n`, opts.out);
        }
      } finally {
        await cli.close();
      }
    });

  report
    .command('risk')
    .description('the overdose-risk report of a date: everyone in MAT with tier, flags and reasons (docs/risk-report.md)')
    .requiredOption('--date <YYYY-MM-DD>', 'the profile date')
    .option('--service <id>', 'one service (default: every service)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'xlsx']).default('json'))
    .option('--out <file>', 'write to a file (default: stdout for json and csv)')
    .addHelpText('after', '\nExample:\n  $ beacon report risk --date 2024-06-30 --service S1 --format csv --out risk.csv')
    .action(async (opts: ReportOptions & { date: string }) => {
      if (opts.format === 'xlsx') needOut(opts);
      const cli = await openCli();
      try {
        const r = await cli.ctx.run(
          'risk.report',
          { type: 'risk_report', id: opts.service ?? opts.date },
          async (db) => riskReport(db, { date: opts.date, serviceId: opts.service ?? null, serviceIds: await cli.ctx.visibleServiceIds(), config: await loadRiskConfig(db) }),
          { date: opts.date, format: opts.format },
        );
        if (opts.format === 'xlsx') {
          const out = needOut(opts);
          await writeRiskWorkbook(r, out);
          console.error(`Written to ${out}`);
        } else {
          await emit(opts.format === 'csv' ? riskReportCsv(r) : `${JSON.stringify(r, null, 2)}\n`, opts.out);
        }
      } finally {
        await cli.close();
      }
    });
}
