import type { Command } from 'commander';
import { migrate } from '../../data/migrate';
import { openCli } from '../context';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (the server also applies them when it starts)')
    .addHelpText('after', '\nExample:\n  $ DATABASE_URL=postgres://beacon@db.example.nhs.uk/beacon beacon migrate')
    .action(async () => {
      const cli = await openCli({ migrate: false });
      try {
        const applied = await cli.ctx.run('admin.migrate', { type: 'database' }, (db) => migrate(db));
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : `Database is up to date (${cli.db.description}).`);
      } finally {
        await cli.close();
      }
    });
}
