import Fastify from 'fastify';
import { join } from 'node:path';
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { RemotePort } from '../bridge/remote.js';
import { VirtualClock } from '../domain/clock.js';
import { registerEc2 } from '../ec2/router.js';
import { Ec2Store } from '../ec2/store.js';

/**
 * `polystack ec2-gateway`: only the EC2 front, over a remote CloudStack endpoint. Users sign with
 * their CloudStack key pairs; the gateway looks their secrets up with an admin key pair (getUser).
 */
export function registerGatewayCommands(program: Command): void {
  program
    .command('ec2-gateway')
    .description('serve the EC2 API in front of a CloudStack endpoint')
    .requiredOption('--cloudstack <url>', 'CloudStack API endpoint, e.g. http://cloud.example:8080/client/api')
    .option('--admin-key <key>', 'admin API key used to look up users\' secrets (env POLYSTACK_GATEWAY_ADMIN_KEY)')
    .option('--admin-secret <secret>', 'its secret (env POLYSTACK_GATEWAY_ADMIN_SECRET)')
    .option('-p, --port <port>', 'port to listen on', '8081')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'where the gateway keeps its id map', join(homedir(), '.polystack-gateway'))
    .option('--in-memory', 'keep the id map in memory')
    .action(async (o) => {
      const key = o.adminKey ?? process.env['POLYSTACK_GATEWAY_ADMIN_KEY'];
      const secret = o.adminSecret ?? process.env['POLYSTACK_GATEWAY_ADMIN_SECRET'];
      const port = new RemotePort(o.cloudstack, key && secret ? { apiKey: key, secretKey: secret } : undefined);
      const store = await Ec2Store.open(o.inMemory ? ':memory:' : join(o.dataDir, 'ec2.db'));
      const app = Fastify({ logger: false });
      app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
      registerEc2(app, { port, store, clock: new VirtualClock(), log: (msg, err) => process.stderr.write(`${msg}: ${String(err)}\n`) });
      await app.listen({ host: o.host, port: Number(o.port) });
      const addr = app.server.address();
      process.stdout.write(`polystack ec2-gateway ready on http://${o.host}:${typeof addr === 'object' && addr ? addr.port : o.port} (CloudStack at ${o.cloudstack})\n`);
      const stop = () => void app.close().then(() => store.close()).then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}
