import { Command } from 'commander';
import { resolveConfig } from '../server/config.js';
import { startPolystack } from '../server/app.js';
import { registerControlCommands } from './control.js';
import { registerGatewayCommands } from './gateway.js';
import { registerGceGatewayCommand } from './gce-gateway.js';
import { packageVersion } from '../specs.js';
import { registerDoctorCommand } from './doctor.js';
import { registerCoverageCommand } from './coverage.js';
import { registerConformanceCommand } from './conformance.js';
import { registerConfigureCommand } from './configure.js';
import { registerDatacenterCommands } from './datacenter.js';
import { registerRecordCommands } from './record.js';
import { registerEnv } from './env.js';
import { banner } from './banner.js';
import { listenFailure } from './errors.js';
import { lockDataDir } from '../server/datadir.lock.js';

/** Every `polystack` command, built without running anything: main.ts parses argv, the docs read the options. */
export function buildProgram(): Command {
  const program = new Command('polystack')
    .description('A whole cloud in one process: a simulated data center behind the Apache CloudStack API')
    .version(packageVersion());
  registerServe(program);
  registerEnv(program);
  registerControlCommands(program);
  registerGatewayCommands(program);
  registerGceGatewayCommand(program);
  registerConfigureCommand(program);
  registerDatacenterCommands(program);
  registerDoctorCommand(program);
  registerCoverageCommand(program);
  registerConformanceCommand(program);
  registerRecordCommands(program);
  return program;
}

function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start polystack')
    .option('-p, --port <port>', 'port to listen on (env POLYSTACK_PORT, default 8080; 0 picks a free one)')
    .option('--host <host>', 'address to bind (env POLYSTACK_HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'where the SQLite database lives (env POLYSTACK_DATA_DIR, default ~/.polystack)')
    .option('--in-memory', 'keep nothing on disk (env POLYSTACK_IN_MEMORY=1)')
    .option(
      '--control-token <token>',
      'bearer token for the /_polystack control endpoints (env POLYSTACK_CONTROL_TOKEN)',
    )
    .option(
      '--event-bus <url>',
      'publish CloudStack-style events to RabbitMQ at this amqp:// URL (env POLYSTACK_EVENT_BUS)',
    )
    .option('--seed <file>', 'seed manifest (YAML or JSON) applied at start and on every reset (env POLYSTACK_SEED)')
    .option(
      '--datacenter <file>',
      "Marvin config (.cfg) to build through the API at first start instead of the two default zones; 'none' for no zone (env POLYSTACK_DATACENTER)",
    )
    .option(
      '--database <url>',
      'keep the cloud in PostgreSQL at this postgres:// URL; every node given it is one cloud (env POLYSTACK_DATABASE_URL)',
    )
    .option(
      '--node-name <name>',
      'name of this node in listManagementServers (env POLYSTACK_NODE_NAME, default host:port)',
    )
    .option(
      '--dev',
      'use the published development key pair for admin, on a kept cloud too (env POLYSTACK_DEV; on by default for --in-memory)',
    )
    .option('-q, --quiet', 'print only the ready line (CI)')
    .action(async (opts) => {
      const config = resolveConfig(opts);
      // One server per SQLite data directory; PostgreSQL clouds take many nodes, in-memory ones keep no directory.
      if (!config.inMemory && !config.database) {
        const release = lockDataDir(config.dataDir);
        process.once('exit', release);
      }
      const ps = await startPolystack(config).catch((err: unknown) => {
        throw listenFailure(err, config.host, config.port);
      });
      process.stdout.write(`polystack ready on ${ps.url}\n${opts.quiet ? '' : banner(config, ps.url)}`);
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
}
