import { Option, type Command } from 'commander';
import { loadConfig } from '../../config';
import { startServer } from '../../server/start';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the Beacon web app and API (applies migrations first)')
    .option('--demo', 'on first start, load the synthetic demo dataset and demo accounts')
    .addOption(new Option('-p, --port <port>', 'port to listen on (default: PORT or 3000)'))
    .addHelpText(
      'after',
      `
Examples:
  $ beacon serve --demo                         demo data on the embedded database
  $ PORT=8080 DATABASE_URL=postgres://… beacon serve
A real install (no --demo) creates one administrator on its first start and prints a one-time password.`,
    )
    .action(async (opts: { demo?: boolean; port?: string }) => {
      const config = loadConfig(opts.port ? { ...process.env, PORT: opts.port } : process.env);
      const running = await startServer({ config, demo: Boolean(opts.demo), say: (l) => console.log(l) });
      console.log(`Beacon is running at ${running.url}  (Ctrl+C to stop)`);
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await running.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
    });
}
