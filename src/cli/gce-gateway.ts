import Fastify from 'fastify';
import { join } from 'node:path';
import type { Command } from 'commander';
import { RemotePort } from '../bridge/remote.js';
import { VirtualClock } from '../domain/clock.js';
import { startGce } from '../gce/index.js';
import { DEFAULT_LINK_BASE } from '../gce/router.js';
import { gatewayOptions, gatewaySettings, type GatewayFlags } from './profiles.js';
import { SCHEMALESS } from '../http/schemaless.js';

/**
 * `polystack gce-gateway`: only the GCE front, over a remote CloudStack endpoint (gstack's job).
 * Users get tokens at its /token with their CloudStack key pair as client id and secret; every
 * call is signed with that pair. Tokens, operations and instance metadata live in the gateway's
 * own SQLite file.
 */
export function registerGceGatewayCommand(program: Command): void {
  gatewayOptions(
    program.command('gce-gateway').description('serve the Compute Engine v1 API in front of a CloudStack endpoint'),
  )
    .option('--link-base <url>', `prefix of selfLink URLs (${DEFAULT_LINK_BASE})`)
    .option(
      '--dev-token <token>',
      'a bearer token that needs no token endpoint (env POLYSTACK_GCE_DEV_TOKEN); it stands for --dev-key/--dev-secret',
    )
    .option('--dev-key <key>', 'CloudStack API key of the dev token (env POLYSTACK_GCE_DEV_KEY)')
    .option('--dev-secret <secret>', 'its secret key (env POLYSTACK_GCE_DEV_SECRET)')
    .action(
      async (o: GatewayFlags & { inMemory?: boolean; devToken?: string; devKey?: string; devSecret?: string }) => {
        const env = process.env;
        const g = await gatewaySettings(o, 'gce');
        const devToken = o.devToken ?? env['POLYSTACK_GCE_DEV_TOKEN'];
        const devKey = o.devKey ?? env['POLYSTACK_GCE_DEV_KEY'];
        const devSecret = o.devSecret ?? env['POLYSTACK_GCE_DEV_SECRET'];
        const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024, ...SCHEMALESS });
        const clock = new VirtualClock();
        const gce = await startGce(app, new RemotePort(g.cloudstack), {
          file: o.inMemory ? ':memory:' : join(g.dataDir, 'gce.db'),
          clock,
          linkBase: g.linkBase ?? DEFAULT_LINK_BASE,
          devToken,
          devCredentials: async () => (devKey && devSecret ? { apiKey: devKey, secretKey: devSecret } : undefined),
          log: (msg, err) => process.stderr.write(`${msg}: ${err instanceof Error ? err.stack : String(err)}\n`),
        });
        await app.listen({ host: g.host, port: g.port });
        const addr = app.server.address();
        process.stdout.write(
          `polystack gce-gateway ready on http://${g.host}:${typeof addr === 'object' && addr ? addr.port : g.port} (CloudStack at ${g.cloudstack})\n`,
        );
        const stop = () =>
          void app
            .close()
            .then(() => gce.close())
            .then(() => process.exit(0));
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      },
    );
}
