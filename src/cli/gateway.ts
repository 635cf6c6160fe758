import Fastify from 'fastify';
import { join } from 'node:path';
import type { Command } from 'commander';
import { RemotePort } from '../bridge/remote.js';
import { VirtualClock } from '../domain/clock.js';
import { registerEc2 } from '../ec2/router.js';
import { Ec2Store } from '../ec2/store.js';
import { gatewayOptions, gatewaySettings, type GatewayFlags } from './profiles.js';
import { SCHEMALESS } from '../http/schemaless.js';

/**
 * `polystack ec2-gateway`: only the EC2 front, over a remote CloudStack endpoint. Users sign with
 * their CloudStack key pairs; the gateway looks their secrets up with an admin key pair (getUser).
 */
export function registerGatewayCommands(program: Command): void {
  gatewayOptions(program.command('ec2-gateway').description('serve the EC2 API in front of a CloudStack endpoint'))
    .option('--admin-key <key>', "admin API key used to look up users' secrets (env POLYSTACK_GATEWAY_ADMIN_KEY)")
    .option('--admin-secret <secret>', 'its secret (env POLYSTACK_GATEWAY_ADMIN_SECRET)')
    .action(async (o: GatewayFlags & { inMemory?: boolean }) => {
      const g = await gatewaySettings(o, 'ec2');
      const port = new RemotePort(
        g.cloudstack,
        g.adminKey && g.adminSecret ? { apiKey: g.adminKey, secretKey: g.adminSecret } : undefined,
      );
      const store = await Ec2Store.open(o.inMemory ? ':memory:' : join(g.dataDir, 'ec2.db'));
      const app = Fastify({ logger: false, ...SCHEMALESS });
      app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
      registerEc2(app, {
        port,
        store,
        clock: new VirtualClock(),
        log: (msg, err) => process.stderr.write(`${msg}: ${String(err)}\n`),
      });
      await app.listen({ host: g.host, port: g.port });
      const addr = app.server.address();
      process.stdout.write(
        `polystack ec2-gateway ready on http://${g.host}:${typeof addr === 'object' && addr ? addr.port : g.port} (CloudStack at ${g.cloudstack})\n`,
      );
      const stop = () =>
        void app
          .close()
          .then(() => store.close())
          .then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}
