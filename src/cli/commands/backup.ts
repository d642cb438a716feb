import type { Command } from 'commander';
import { backupDatabase, restoreDatabase } from '../../data/backup';
import { openCli } from '../context';

function describe(s: { tables: Record<string, number> }): string {
  return Object.entries(s.tables)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n.toLocaleString('en-GB')}`)
    .join(', ');
}

export function registerBackup(program: Command): void {
  program
    .command('backup <file>')
    .description('write a consistent backup of the database (safe while Beacon runs)')
    .addHelpText('after', '\nExample:\n  $ beacon backup /secure/beacon-$(date +%F).backup.gz')
    .action(async (file: string) => {
      const cli = await openCli();
      try {
        const s = await cli.ctx.run('admin.backup', { type: 'backup', id: file }, (db) => backupDatabase(db, file));
        console.log(`Backup written to ${file} (schema ${s.schemaVersion}): ${describe(s)}`);
      } finally {
        await cli.close();
      }
    });

  program
    .command('restore <file>')
    .description('restore a backup into an empty data directory or empty PostgreSQL database')
    .addHelpText('after', '\nExample:\n  $ BEACON_DATA_DIR=./restored beacon restore beacon.backup.gz')
    .action(async (file: string) => {
      const cli = await openCli({ migrate: false });
      try {
        const s = await restoreDatabase(cli.db, file);
        await cli.ctx.audit({ action: 'admin.backup', resource: { type: 'restore', id: file }, outcome: 'allowed', detail: { tables: s.tables } });
        console.log(`Restored ${file} into ${cli.db.description}: ${describe(s)}`);
      } finally {
        await cli.close();
      }
    });
}
