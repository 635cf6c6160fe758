import Fastify from 'fastify';
import { join } from 'node:path';
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { RemotePort } from '../bridge/remote.js';
import { VirtualClock } from '../domain/clock.js';
import { startGce } from './index.js';
import { DEFAULT_LINK_BASE } from './router.js';

/**
 * `polystack gce-gateway`: only the GCE front, over a remote CloudStack endpoint (gstack's job).
 * Users get tokens at its /token with their CloudStack key pair as client id and secret; every
 * call is signed with that pair. Tokens, operations and instance metadata live in the gateway's
 * own SQLite file.
 */
export function registerGceGatewayCommand(program: Command): void {
  program
    .command('gce-gateway')
    .description('serve the Compute Engine v1 API in front of a CloudStack endpoint')
    .requiredOption('--cloudstack <url>', 'CloudStack API endpoint, e.g. http://cloud.example:8080/client/api')
    .option('-p, --port <port>', 'port to listen on', '8082')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'where the gateway keeps tokens and operations', join(homedir(), '.polystack-gateway'))
    .option('--in-memory', 'keep tokens and operations in memory')
    .option('--link-base <url>', 'prefix of selfLink URLs', DEFAULT_LINK_BASE)
    .option('--dev-token <token>', 'a bearer token that needs no token endpoint (env POLYSTACK_GCE_DEV_TOKEN); it stands for --dev-key/--dev-secret')
    .option('--dev-key <key>', 'CloudStack API key of the dev token (env POLYSTACK_GCE_DEV_KEY)')
    .option('--dev-secret <secret>', 'its secret key (env POLYSTACK_GCE_DEV_SECRET)')
    .action(async (o) => {
      const env = process.env;
      const devToken = o.devToken ?? env['POLYSTACK_GCE_DEV_TOKEN'];
      const devKey = o.devKey ?? env['POLYSTACK_GCE_DEV_KEY'];
      const devSecret = o.devSecret ?? env['POLYSTACK_GCE_DEV_SECRET'];
      const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
      const clock = new VirtualClock();
      const gce = await startGce(app, new RemotePort(o.cloudstack), {
        file: o.inMemory ? ':memory:' : join(o.dataDir, 'gce.db'), clock, linkBase: o.linkBase, devToken,
        devCredentials: async () => (devKey && devSecret ? { apiKey: devKey, secretKey: devSecret } : undefined),
        log: (msg, err) => process.stderr.write(`${msg}: ${err instanceof Error ? err.stack : String(err)}\n`),
      });
      await app.listen({ host: o.host, port: Number(o.port) });
      const addr = app.server.address();
      process.stdout.write(`polystack gce-gateway ready on http://${o.host}:${typeof addr === 'object' && addr ? addr.port : o.port} (CloudStack at ${o.cloudstack})\n`);
      const stop = () => void app.close().then(() => gce.close()).then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}
