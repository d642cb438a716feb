import { Command, Option } from 'commander';
import { VERSION } from '../version';
import { fail } from './context';
import { registerServe } from './commands/serve';
import { registerMigrate } from './commands/migrate';
import { registerBackup } from './commands/backup';
import { registerDataset } from './commands/dataset';
import { registerDemo } from './commands/demo';
import { registerDetect } from './commands/detect';
import { registerReport } from './commands/report';

const program = new Command();
program
  .name('beacon')
  .description(
    'Beacon: MAT analytics, overdose risk, early warning (LDIS) and partnership assurance for UK drug-treatment services.\n' +
      'Uses the embedded database in BEACON_DATA_DIR (default ./.beacon), or the PostgreSQL server in DATABASE_URL when set.',
  )
  .version(VERSION)
  .addHelpText(
    'after',
    `
Examples:
  $ beacon serve --demo                     start on http://localhost:3000 with demo data
  $ beacon import ./my-dataset --dry-run    check a folder of CSVs without writing
  $ beacon import data.xlsx --skip-invalid  load the valid rows, write the rejects to a CSV
  $ beacon export ./backup-folder           write the dataset as CSVs (or a .xlsx file)
  $ beacon demo --people 5000 --out ./demo  generate a synthetic dataset
  $ beacon backup beacon.backup.gz          consistent backup while Beacon runs
  $ DATABASE_URL=postgres://localhost/beacon beacon migrate

Environment: DATABASE_URL, BEACON_DATA_DIR, PORT, HOST, LOG_LEVEL (see README).`,
  );
program.addOption(new Option('--debug', 'print stack traces on failure').hideHelp());

registerServe(program);
registerMigrate(program);
registerDataset(program);
registerDemo(program);
registerBackup(program);
registerDetect(program);
registerReport(program);

program.parseAsync(process.argv).catch(fail);
