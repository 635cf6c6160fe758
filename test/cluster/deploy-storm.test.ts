import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allocationViolations, startCluster, type Cluster } from '../helpers/cluster.js';

const DEPLOYS = Number(process.env['POLYSTACK_STORM_DEPLOYS'] ?? 1000);
const ACCOUNTS = 20;
const IPS_PER_ACCOUNT = 3;
const HOST_MEMORY_GIB = 150;
const MiB = 1024 * 1024;

/** Runs `fns` with at most `limit` in flight (the client side of a storm is bounded, as any real one is). */
async function pool<T>(fns: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(fns.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < fns.length) {
        const i = next++;
        out[i] = await fns[i]!();
      }
    }),
  );
  return out;
}

describe(`${DEPLOYS} concurrent deploys across three nodes on one PostgreSQL database`, () => {
  let c: Cluster;
  before(async () => {
    c = await startCluster(3, { POLYSTACK_AGENT_DELAY_MS: '20', POLYSTACK_DB_POOL: '12' });
    // A data center sized so the storm fills it: memory runs out first, CPU and disk never do.
    await c.sql.query(`UPDATE hosts SET memory = $1, "cpuNumber" = 256 WHERE type = 'Routing'`, [
      HOST_MEMORY_GIB * 1024 * MiB,
    ]);
    await c.sql.query(`UPDATE "storagePools" SET "capacityBytes" = 1e15`);
  });
  after(() => c?.close());

  it('hands out no address, VLAN or host capacity twice, and leaves no job pending', async () => {
    const [a, b, cc] = c.nodes.map((n) => n.cs);
    const zone = (await a!.call('listZones', { name: 'Sandbox-simulator-advanced' })).body.zone[0].id as string;
    const offering = (await a!.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0]
      .id as string;
    const template = (
      (await a!.call('listTemplates', { templatefilter: 'featured', zoneid: zone })).body.template as any[]
    ).find((t) => t.name.startsWith('CentOS')).id as string;
    const domainid = (await a!.call('listDomains', { name: 'ROOT' })).body.domain[0].id as string;
    const isolated = (
      await a!.call('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' })
    ).body.networkoffering[0].id as string;
    for (let i = 0; i < ACCOUNTS; i++) {
      const r = await c.nodes[i % 3]!.cs.call('createAccount', {
        username: `storm${i}`,
        account: `storm${i}`,
        password: 'pw',
        email: `s${i}@x`,
        firstname: 's',
        lastname: String(i),
        accounttype: '0',
        domainid,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      // The storm is about capacity, not CloudStack's per-account limits (20 VMs, 20 public IPs by default).
      for (const resourcetype of ['0', '1', '2', '8', '9', '10'])
        assert.equal(
          (await a!.call('updateResourceLimit', { account: `storm${i}`, domainid, resourcetype, max: '-1' })).status,
          200,
        );
      // associateIpAddress with only a zone needs the account's isolated network there (AssociateIPAddrCmd.getNetworkId); it
      // stays Allocated, so the deploys and the addresses below still race to implement it.
      const net = await a!.call('createNetwork', {
        zoneid: zone,
        name: `storm${i}-network`,
        displaytext: 'storm',
        networkofferingid: isolated,
        account: `storm${i}`,
        domainid,
      });
      assert.equal(net.status, 200, JSON.stringify(net.body));
    }
    const nodes = [a!, b!, cc!];
    // Every account's first deploys race to implement its network (a VLAN, a source-NAT address) and number NICs in it.
    const deploys = Array.from({ length: DEPLOYS }, (_, i) => async () => {
      const r = await nodes[i % 3]!.call('deployVirtualMachine', {
        zoneid: zone,
        serviceofferingid: offering,
        templateid: template,
        account: `storm${i % ACCOUNTS}`,
        domainid,
        name: `s${i}`,
      });
      return r.status === 200 ? { node: i % 3, jobid: r.body.jobid as string } : { node: i % 3, error: r.body };
    });
    const ips = Array.from({ length: ACCOUNTS * IPS_PER_ACCOUNT }, (_, i) => async () => {
      const r = await nodes[(i + 1) % 3]!.call('associateIpAddress', {
        zoneid: zone,
        account: `storm${i % ACCOUNTS}`,
        domainid,
      });
      return r.status === 200
        ? { node: (i + 1) % 3, jobid: r.body.jobid as string }
        : { node: (i + 1) % 3, error: r.body };
    });
    const t0 = Date.now();
    const submitted = await pool([...deploys, ...ips], 200);
    const refused = submitted.filter((s) => 'error' in s);
    assert.deepEqual(refused, [], 'every request was accepted (capacity is judged by the job)');

    // Watching the queue in the database costs the nodes nothing; then each result is read once, from another node than took the request.
    const ids = submitted.map((s) => (s as { jobid: string }).jobid);
    for (const end = Date.now() + 600_000; ;) {
      const left = Number(
        (await c.sql.query(`SELECT count(*) AS n FROM jobs WHERE status = 0 AND id = ANY($1)`, [ids])).rows[0].n,
      );
      if (left === 0) break;
      assert.ok(Date.now() < end, `${left} jobs still pending`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Date.now() - t0) / 1000;
    const results = await pool(
      submitted.map(
        (s, i) => async () => (await nodes[(s.node + 1) % 3]!.call('queryAsyncJobResult', { jobid: ids[i]! })).body,
      ),
      20,
    );
    const deployResults = results.slice(0, DEPLOYS);
    const ok = deployResults.filter((r) => r.jobstatus === 1);
    const failed = deployResults.filter((r) => r.jobstatus !== 1);
    for (const f of failed)
      assert.equal(f.jobresult.errorcode, 533, `only capacity may fail a deploy: ${JSON.stringify(f.jobresult)}`);
    const ipOk = results.slice(DEPLOYS).filter((r) => r.jobstatus === 1).length;
    process.stderr.write(
      `storm: ${DEPLOYS} deploys + ${ips.length} address claims on 3 nodes in ${seconds.toFixed(1)} s: ${ok.length} running, ${failed.length} refused for capacity, ${ipOk} addresses\n`,
    );

    const v = await allocationViolations(c.sql);
    for (const [rule, rows] of Object.entries(v)) assert.deepEqual(rows, [], rule);

    // What the numbers must be when nothing was lost or doubled.
    const hosts = (
      await c.sql.query(`SELECT memory, "memoryUsed" FROM hosts WHERE "zoneId" = $1 AND type = 'Routing'`, [zone])
    ).rows;
    const fitting = hosts.reduce((n, h) => n + Math.floor(Number(h.memory) / (512 * MiB)), 0);
    assert.equal(ok.length, Math.min(DEPLOYS, fitting), 'every VM that fits runs; none past what fits');
    const running = (await c.sql.query(`SELECT count(*) AS n FROM vms WHERE state = 'Running' AND removed IS NULL`))
      .rows[0].n;
    assert.equal(Number(running), ok.length);
    const nets = (
      await c.sql.query(
        `SELECT count(*) AS n, count(DISTINCT vlan) AS vlans FROM networks WHERE removed IS NULL AND type = 'Isolated'`,
      )
    ).rows[0];
    assert.equal(Number(nets.n), ACCOUNTS, 'one network per account');
    assert.equal(Number(nets.vlans), ACCOUNTS, 'each on its own VLAN');
    // The zone's secondary storage VM and console proxy hold a public address each, as in CloudStack.
    const system = (
      await c.sql.query(
        `SELECT count(*) AS n FROM "systemVms" WHERE removed IS NULL AND "publicIp" IS NOT NULL AND "zoneId" = $1`,
        [zone],
      )
    ).rows[0].n;
    const held =
      Number(
        (await c.sql.query(`SELECT count(*) AS n FROM "publicIps" WHERE state <> 'Free' AND "zoneId" = $1`, [zone]))
          .rows[0].n,
      ) - Number(system);
    assert.equal(Number(held), ACCOUNTS + ipOk, 'a source-NAT address per network plus every address claimed');
    assert.equal(ipOk, ACCOUNTS * IPS_PER_ACCOUNT, 'the zone had addresses for every claim');
    const owners = (await c.sql.query(`SELECT count(DISTINCT owner) AS n FROM jobs WHERE kind = 'vm.start'`)).rows[0].n;
    assert.equal(Number(owners), 3, 'all three nodes ran deploys');
  });
});
