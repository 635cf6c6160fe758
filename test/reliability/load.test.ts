import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CsClient } from '../helpers/cs-client.js';
import { FrontClient, type Keys } from '../helpers/fronts.js';
import { FULL, SIZE, percentile, startNodes, storming } from './harness.js';
import { brokenInvariants, stuckVms } from './invariants.js';
import { openTarget, targetNames } from './targets.js';
import { LoadClient, ZONE, type Catalog, type Sample } from './workload.js';

const NODES = 2;
const [TARGET] = targetNames(['postgres']);

/**
 * Load: SIZE.loadClients concurrent clients, spread over SIZE.loadTenants accounts and over the
 * nodes of a two-node cluster on PostgreSQL, each running a mix of reads and writes over the
 * CloudStack, EC2 and GCE fronts for SIZE.loadSeconds. Every answer must be a 2xx (no error, no
 * 5xx), every job and operation must succeed, and afterwards the database's invariants hold.
 * p50/p99 latency per front is reported.
 */
it(
  `load: ${SIZE.loadClients} clients for ${SIZE.loadSeconds} s over three fronts on ${TARGET}${FULL ? ' (full)' : ''}`,
  { timeout: (SIZE.loadSeconds + 300) * 1000 },
  async (t) => {
    const tg = await openTarget(TARGET!, NODES);
    const { servers } = await startNodes(tg, { POLYSTACK_AGENT_DELAY_MS: '100' });
    const node = servers[0]!;
    try {
      const admin = new CsClient(node.endpoint, node.apiKey, node.secretKey);
      // Users remove their VMs with expunge=true, as a cleanup-minded client does; CloudStack allows it only with this setting.
      assert.equal(
        (await admin.call('updateConfiguration', { name: 'allow.user.expunge.recover.vm', value: 'true' }, 'POST'))
          .status,
        200,
      );
      const zones = (await admin.call('listZones')).body.zone;
      const tenants: { name: string; keys: Keys }[] = [];
      for (let i = 0; i < SIZE.loadTenants; i++)
        tenants.push({ name: `load${i}`, keys: await storming(admin, `load${i}`) });
      const probe = new FrontClient(node.url, tenants[0]!.keys);
      const images = (await probe.ec2({ Action: 'DescribeImages' })).xml.DescribeImagesResponse.imagesSet.item;
      const catalog: Catalog = {
        zoneId: zones.find((z: any) => z.name === ZONE).id,
        offeringId: (await admin.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id,
        templateId: (await admin.call('listTemplates', { templatefilter: 'featured' })).body.template.find((x: any) =>
          x.name.startsWith('CentOS'),
        ).id,
        imageId: [images].flat().find((x: any) => /CentOS/.test(x.name)).imageId,
      };

      const samples: Sample[] = [];
      const errors: string[] = [];
      const clients = Array.from({ length: SIZE.loadClients }, (_, i) => {
        const tenant = tenants[i % tenants.length]!;
        return new LoadClient(
          new FrontClient(servers[i % servers.length]!.url, tenant.keys),
          tenant.name,
          `c${i}`,
          catalog,
          (s) => samples.push(s),
          (e) => errors.push(e),
          i,
        );
      });
      const end = Date.now() + SIZE.loadSeconds * 1000;
      const started = performance.now();
      await Promise.all(
        clients.map(async (c) => {
          while (Date.now() < end) {
            try {
              await c.step();
            } catch (e) {
              errors.push(`client threw: ${String(e)}`);
            }
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;

      const summary: Record<string, unknown> = {
        target: tg.name,
        nodes: servers.length,
        clients: SIZE.loadClients,
        seconds: Math.round(seconds),
        requests: samples.length,
        perSecond: Math.round(samples.length / seconds),
      };
      for (const front of ['cloudstack', 'ec2', 'gce', 'all'] as const) {
        const mine = samples.filter((s) => front === 'all' || s.front === front);
        const ms = mine.map((s) => s.ms).sort((a, b) => a - b);
        summary[front] = {
          requests: mine.length,
          writes: mine.filter((s) => s.write).length,
          p50: Math.round(percentile(ms, 50)),
          p99: Math.round(percentile(ms, 99)),
          max: Math.round(ms.at(-1) ?? 0),
          errors: mine.filter((s) => s.status >= 400).length,
          '5xx': mine.filter((s) => s.status >= 500).length,
        };
      }
      t.diagnostic(`load ${JSON.stringify(summary)}`);
      assert.deepEqual(errors.slice(0, 10), [], `${errors.length} errors`);
      assert.equal(samples.filter((s) => s.status >= 500).length, 0, 'no 5xx');
      for (const f of ['cloudstack', 'ec2', 'gce'] as const)
        assert.ok(
          samples.some((s) => s.front === f && s.write),
          `${f} took writes`,
        );

      const db = await tg.open();
      try {
        assert.deepEqual(await brokenInvariants(db), []);
        // Whatever was moving when the load stopped reaches a state within a few seconds.
        for (let i = 0; ; i++) {
          const stuck = await stuckVms(db);
          const moving = await db.selectFrom('jobs').select('id').where('status', '=', 0).execute();
          if (!moving.length && !stuck.length) break;
          assert.ok(
            i < 300,
            `still moving after 30 s: ${stuck.slice(0, 5).join('; ')} (${moving.length} jobs pending)`,
          );
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.deepEqual(await brokenInvariants(db), []);
      } finally {
        await db.destroy();
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await tg.cleanup();
    }
  },
);
