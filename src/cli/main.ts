import { Command } from 'commander';
import { resolveConfig, databaseFile } from '../server/config.js';
import { startPolystack } from '../server/app.js';
import { openStore } from '../store/db.js';
import { seed } from '../services/seed.js';
import { accountStore } from '../store/account.store.js';
import { registerControlCommands } from './control.js';
import { registerGatewayCommands } from './gateway.js';
import { registerGceGatewayCommand } from '../gce/cli.js';
import { registerConfigureCommand } from './configure.js';

const program = new Command('polystack').description('A whole cloud in one process: a simulated data center behind the Apache CloudStack API').version('0.1.0');

program
  .command('serve')
  .description('start polystack')
  .option('-p, --port <port>', 'port to listen on (env POLYSTACK_PORT, default 8080; 0 picks a free one)')
  .option('--host <host>', 'address to bind (env POLYSTACK_HOST, default 127.0.0.1)')
  .option('--data-dir <dir>', 'where the SQLite database lives (env POLYSTACK_DATA_DIR, default ~/.polystack)')
  .option('--in-memory', 'keep nothing on disk (env POLYSTACK_IN_MEMORY=1)')
  .option('--control-token <token>', 'bearer token for the /_polystack control endpoints (env POLYSTACK_CONTROL_TOKEN)')
  .option('--event-bus <url>', 'publish CloudStack-style events to RabbitMQ at this amqp:// URL (env POLYSTACK_EVENT_BUS)')
  .option('--seed <file>', 'seed manifest (YAML or JSON) applied at start and on every reset (env POLYSTACK_SEED)')
  .action(async (opts) => {
    const config = resolveConfig(opts);
    const ps = await startPolystack(config);
    process.stdout.write(`polystack ready on ${ps.url}\n`);
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      process.stderr.write(`polystack: ${signal}, shutting down\n`);
      ps.close().then(
        () => process.exit(0),
        (err) => {
          process.stderr.write(`polystack: shutdown failed: ${String(err)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  });

program
  .command('env')
  .description('print shell exports that point CloudStack clients (cs, cmk) at polystack')
  .option('-p, --port <port>', 'port polystack listens on')
  .option('--host <host>', 'host polystack listens on')
  .option('--data-dir <dir>', 'data directory of the polystack to point at')
  .action(async (opts) => {
    const config = resolveConfig(opts);
    const store = await openStore({ file: databaseFile(config) });
    await seed(store, { now: Date.now(), adminApiKey: config.adminApiKey, adminSecretKey: config.adminSecretKey });
    const root = await accountStore.rootDomain(store.db);
    const admin = root && (await accountStore.userByName(store.db, 'admin', root.id));
    await store.close();
    if (!admin?.user.apiKey) throw new Error('the admin user has no API key');
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    process.stdout.write(
      [
        `export CLOUDSTACK_ENDPOINT=http://${host}:${config.port}/client/api`,
        `export CLOUDSTACK_KEY=${admin.user.apiKey}`,
        `export CLOUDSTACK_SECRET=${admin.user.secretKey}`,
      ].join('\n') + '\n',
    );
  });

registerControlCommands(program);
registerGatewayCommands(program);
registerGceGatewayCommand(program);
registerConfigureCommand(program);

program.parseAsync(process.argv).catch((err) => {
  process.stderr.write(`polystack: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
