import type { Command } from 'commander';
import { RemotePort } from '../bridge/remote.js';
import { CsApi, CsApiError } from '../datacenter/client.js';
import { runDeployment } from '../datacenter/deploy.js';
import { findCollisions } from '../datacenter/collisions.js';
import { readMarvinConfig } from '../datacenter/marvin.js';
import { progressPrinter } from '../datacenter/progress.js';

/** The API endpoint from a base URL or the endpoint itself. */
const endpointOf = (url: string) =>
  /\/client\/api\/?$/.test(url) ? url.replace(/\/$/, '') : `${url.replace(/\/+$/, '')}/client/api`;

export function registerDatacenterCommands(program: Command): void {
  const dc = program.command('datacenter').description('build data centers through the CloudStack API');
  dc.command('deploy')
    .description(
      "apply a Marvin data-center config (setup/dev/*.cfg) through the CloudStack API, in deployDataCenter.py's order",
    )
    .argument('<file>', 'Marvin config, e.g. advanced.cfg')
    .option(
      '--url <url>',
      'CloudStack to build in (env CLOUDSTACK_ENDPOINT or POLYSTACK_URL, default http://127.0.0.1:8080)',
    )
    .option('--api-key <key>', 'root admin API key (env CLOUDSTACK_KEY)')
    .option('--secret-key <key>', 'root admin secret key (env CLOUDSTACK_SECRET)')
    .option('--poll <ms>', 'how often to ask for an async job result', '100')
    .action(async (file: string, o: { url?: string; apiKey?: string; secretKey?: string; poll: string }) => {
      const url =
        o.url ?? process.env['CLOUDSTACK_ENDPOINT'] ?? process.env['POLYSTACK_URL'] ?? 'http://127.0.0.1:8080';
      const apiKey = o.apiKey ?? process.env['CLOUDSTACK_KEY'];
      const secretKey = o.secretKey ?? process.env['CLOUDSTACK_SECRET'];
      if (!apiKey || !secretKey)
        throw new Error(
          'give --api-key and --secret-key (or CLOUDSTACK_KEY/CLOUDSTACK_SECRET, as `polystack env` prints them)',
        );
      const cfg = readMarvinConfig(file);
      const endpoint = endpointOf(url);
      const api = new CsApi(new RemotePort(endpoint), { apiKey, secretKey }, Number(o.poll));
      const collisions = await findCollisions(api, cfg);
      if (collisions.length)
        throw new Error(
          `${file} collides with what ${endpoint} already holds, so nothing was built:\n${collisions.map((c) => `  - ${c}`).join('\n')}\n` +
            'Deploy it into an empty cloud (`polystack serve --datacenter none`, or --datacenter FILE to build it at first start), or rename what collides in the file.',
        );
      const progress = progressPrinter(process.stdout);
      const t0 = performance.now();
      try {
        const done = await runDeployment(api, cfg, (e) => progress.step(e));
        const zones = done.zones.map((z) => `${z.name} (${z.id})`).join(', ');
        process.stdout.write(
          `deployed ${zones || 'no zone'} to ${endpoint}: ${done.steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
        );
      } catch (e) {
        progress.fail();
        throw e instanceof CsApiError ? new Error(`${e.command} failed: ${e.status} ${e.errortext}`) : e;
      }
    });
}
