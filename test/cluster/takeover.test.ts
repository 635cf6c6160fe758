import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import {
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { basics } from '../helpers/cs-fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('three nodes on one PostgreSQL database', () => {
  let c: Cluster;
  before(async () => {
    // Agent commands take 4 s, so a start job is still running when its node is killed.
    c = await startCluster(3, {
      POLYSTACK_AGENT_DELAY_MS: '4000',
      POLYSTACK_NODE_HEARTBEAT_MS: '300',
      POLYSTACK_NODE_DEAD_MS: '4000',
    });
  });
  after(() => c?.close());

  it('lists the three nodes, Up, in CloudStack shape, from any node', async () => {
    for (const n of c.nodes) {
      const r = await n.cs.call('listManagementServers');
      assert.equal(r.status, 200);
      assert.equal(r.body.count, 3);
      const byName = new Map((r.body.managementserver as any[]).map((m) => [m.name, m]));
      assert.deepEqual([...byName.keys()].sort(), ['node-a', 'node-b', 'node-c']);
      for (const m of byName.values()) {
        assert.equal(m.state, 'Up');
        assert.match(m.id, /^[0-9a-f-]{36}$/);
        assert.match(m.lastserverstart, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
        assert.equal(m.version, '4.18.0.0');
        assert.equal(m.lastserverstop, undefined);
      }
    }
    const one = await c.nodes[1]!.cs.call('listManagementServers', { name: 'node-c' });
    assert.equal(one.body.count, 1);
  });

  it(`any node answers for what another created, its cached list answers dropped by the other node write`, async () => {
    // Each node answers (and caches) the empty list first.
    for (const n of c.nodes)
      assert.equal((await n.cs.call('listSSHKeyPairs', { name: 'cluster-key' })).body.count, undefined);
    const kp = await c.nodes[0]!.cs.call('createSSHKeyPair', { name: 'cluster-key' });
    assert.equal(kp.status, 200);
    for (const n of c.nodes.slice(1)) {
      // The other nodes hear of the commit by NOTIFY; give it a moment, not a poll loop that would hide a cache that never drops.
      await sleep(100);
      const r = await n.cs.call('listSSHKeyPairs', { name: 'cluster-key' });
      assert.equal(r.body.count, 1, `${n.name} sees the key node-a created`);
    }
  });

  it("resolves an EC2 id on a node that never showed it: the fronts' own rows are shared too", async () => {
    const ec2 = (n: (typeof c.nodes)[number]) =>
      new EC2Client({
        endpoint: n.server.url,
        region: 'us-east-1',
        credentials: { accessKeyId: n.server.apiKey, secretAccessKey: n.server.secretKey },
      });
    const [a, b] = [ec2(c.nodes[0]!), ec2(c.nodes[2]!)];
    // The way back from an EC2 id to a CloudStack id is a row node-a wrote; node-c reads it.
    const made = await a.send(
      new CreateSecurityGroupCommand({ GroupName: 'cluster-sg', Description: 'made on node-a' }),
    );
    await b.send(new DeleteSecurityGroupCommand({ GroupId: made.GroupId! }));
    const left = await a.send(new DescribeSecurityGroupsCommand({}));
    assert.ok(!left.SecurityGroups!.some((g) => g.GroupId === made.GroupId), 'node-c deleted what node-a made');
    a.destroy();
    b.destroy();
  });

  it('finishes a job whose node was killed (SIGKILL) on another node', async () => {
    const b = await basics(c.nodes[0]!.cs);
    const dep = await c.nodes[0]!.cs.call('deployVirtualMachine', {
      zoneid: b.zone,
      serviceofferingid: b.offering,
      templateid: b.template,
      name: 'survivor',
    });
    assert.equal(dep.status, 200, JSON.stringify(dep.body));
    const jobid = dep.body.jobid as string;
    // Whoever claimed it is the node to kill.
    let owner: string | undefined;
    for (let i = 0; i < 200 && !owner; i++) {
      owner = (await c.sql.query(`SELECT owner FROM jobs WHERE id = $1`, [jobid])).rows[0]?.owner ?? undefined;
      if (!owner) await sleep(10);
    }
    assert.ok(owner, 'the job was claimed');
    const ownerName = (await c.sql.query(`SELECT name FROM "managementServers" WHERE "runId" = $1`, [owner])).rows[0]
      .name as string;
    const victim = c.nodes.find((n) => n.name === ownerName)!;
    await sleep(500); // well inside the 4 s StartCommand
    const pending = await c.nodes[0]!.cs.call('queryAsyncJobResult', { jobid });
    assert.equal(pending.body.jobstatus, 0, 'still running when its node dies');
    process.kill(victim.server.pid, 'SIGKILL');
    const survivors = c.nodes.filter((n) => n !== victim);

    const done = await survivors[0]!.cs.waitJob(jobid, 30_000);
    assert.equal(done.jobstatus, 1, JSON.stringify(done));
    assert.equal(done.jobresult.virtualmachine.state, 'Running');
    const finalOwner = (await c.sql.query(`SELECT owner FROM jobs WHERE id = $1`, [jobid])).rows[0].owner as string;
    assert.notEqual(finalOwner, owner, 'another node finished it');

    const ms = await survivors[1]!.cs.call('listManagementServers');
    const state = new Map((ms.body.managementserver as any[]).map((m) => [m.name, m]));
    assert.equal(state.get(ownerName).state, 'Down');
    assert.ok(state.get(ownerName).lastserverstop, 'a Down node shows when it stopped');
    for (const s of survivors) assert.equal(state.get(s.name).state, 'Up');
    // The host holds the VM once, although two nodes ran its start.
    const vm = (await survivors[1]!.cs.call('listVirtualMachines', { id: done.jobresult.virtualmachine.id })).body
      .virtualmachine[0];
    const host = (await c.sql.query(`SELECT "memoryUsed" FROM hosts WHERE id = $1`, [vm.hostid])).rows[0];
    const held = (
      await c.sql.query(
        `SELECT coalesce(sum(memory), 0) * 1048576 AS m FROM vms WHERE "hostId" = $1 AND removed IS NULL`,
        [vm.hostid],
      )
    ).rows[0];
    assert.equal(Number(host.memoryUsed), Number(held.m));
  });
});
