import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import { CsClient } from '../helpers/cs-client.js';
import type { TestServer } from '../helpers/server.js';
import { FULL, SIZE, sleep, startNode, startNodes, type Target } from './harness.js';
import { brokenInvariants, stuckVms, unfinishedJobs } from './invariants.js';
import { Ledger, lost } from './ledger.js';
import { Storm } from './storm.js';
import { openTarget, targetNames } from './targets.js';
import { ZONE } from './workload.js';

const ENV = { POLYSTACK_AGENT_DELAY_MS: '200' };

/** Waits up to `seconds` for every job created at or before `before` to finish. */
async function jobsSettle(db: Kysely<Database>, before: number, seconds: number, what: string): Promise<void> {
  for (let w = 0; (await unfinishedJobs(db, before)).length; w++) {
    assert.ok(
      w < seconds * 10,
      `${what}: jobs still pending after ${seconds} s: ${JSON.stringify((await unfinishedJobs(db, before)).slice(0, 5))}`,
    );
    await sleep(100);
  }
}

async function checkWith(tg: Target, fn: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  const db = await tg.open();
  try {
    await fn(db);
  } finally {
    await db.destroy();
  }
}

/**
 * Crash: a storm of deploys from several tenants over all three fronts while a node is killed
 * with SIGKILL SIZE.crashKills times. On SQLite the one node dies and the storm waits for it; on
 * PostgreSQL one node of two dies (each in turn) and the storm goes on on the other. Every other
 * kill there, the survivor must finish the dead node's jobs before it comes back (takeover); on the
 * rest it comes straight back under its name and takes its jobs back itself. After each kill and
 * each restart: no address or VLAN given twice, host and pool usage equal what their VMs and
 * volumes take, nothing a client saw succeed is lost; then every job created before the kill
 * finishes, and every VM is in a stable state or has a job moving it.
 */
async function crash(t: TestContext, tg: Target): Promise<void> {
  const { ports, servers } = await startNodes(tg, ENV);
  const up = servers.map(() => true);
  // Set when the test ends, passed or failed: a failed check must not leave the storm running.
  let over = false;
  const ledger = new Ledger();
  const figures = {
    target: tg.name,
    nodes: tg.nodes,
    kills: 0,
    takeovers: 0,
    downMs: 0,
    interrupted: 0,
    requests: 0,
    checks: 0,
    resumedJobs: 0,
  };
  try {
    const admin = new CsClient(servers[0]!.endpoint, servers[0]!.apiKey, servers[0]!.secretKey);
    // Users remove their VMs with expunge=true, as a cleanup-minded client does; CloudStack allows it only with this setting.
    assert.equal(
      (await admin.call('updateConfiguration', { name: 'allow.user.expunge.recover.vm', value: 'true' }, 'POST'))
        .status,
      200,
    );
    const storm = await Storm.create(
      admin,
      servers.map((s) => s.url),
      SIZE.crashTenants,
      ledger,
    );

    /** The node request `i` goes to: its own, or the next one up. */
    const liveNode = (i: number) => [...servers.keys()].map((k) => (i + k) % servers.length).find((n) => up[n]);
    let next = 0;
    const workers = Array.from({ length: FULL ? 24 : 8 }, async () => {
      while (ledger.accepted < SIZE.crashVms && !over) {
        const i = next++;
        const node = liveNode(i);
        if (node === undefined) {
          await sleep(20);
          continue;
        }
        figures.requests++;
        try {
          await storm.step(i, node);
        } catch {
          // The node died under this request: the client saw no success, so nothing is owed.
          figures.interrupted++;
          await sleep(20);
        }
      }
    });

    const check = async (when: string) => {
      figures.checks++;
      await checkWith(tg, async (db) => {
        assert.deepEqual(await brokenInvariants(db), [], `${when}: invariants`);
        assert.deepEqual(await lost(db, ledger), [], `${when}: acknowledged work lost`);
      });
    };
    const settled = (when: string, before: number) =>
      checkWith(tg, async (db) => {
        await jobsSettle(db, before, 60, when);
        assert.deepEqual(await stuckVms(db), [], `${when}: stuck VMs`);
      });

    const killer = (async () => {
      for (let k = 1; k <= SIZE.crashKills; k++) {
        while (ledger.accepted < (k * SIZE.crashVms) / (SIZE.crashKills + 1)) await sleep(10);
        const victim = (k - 1) % servers.length;
        // Take the ledger as it stands at the kill; answers still arriving belong to no one's success.
        up[victim] = false;
        const killedAt = Date.now();
        await servers[victim]!.kill();
        figures.kills++;
        await check(`after kill ${k}, before restart`);
        if (servers.length > 1 && k % 2 === 0) {
          figures.takeovers++;
          await settled(`kill ${k}: the survivor takes the dead node's jobs over`, killedAt);
          await check(`kill ${k}, taken over`);
        }
        servers[victim] = await startNode(tg, victim, ports[victim]!, ENV);
        figures.downMs += Date.now() - killedAt;
        up[victim] = true;
        await check(`after restart ${k}`);
        await checkWith(tg, async (db) => void (figures.resumedJobs += (await unfinishedJobs(db, killedAt)).length));
        await settled(`restart ${k}`, killedAt);
        await check(`restart ${k}, its jobs done`);
      }
    })();
    await Promise.all([killer, ...workers]);

    // The storm is over: everything settles, and what the fronts acknowledged is still theirs.
    await checkWith(tg, async (db) => {
      await jobsSettle(db, Date.now(), 120, 'after the storm');
      assert.deepEqual(await stuckVms(db), []);
      const states = await db
        .selectFrom('vms')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('removed', 'is', null)
        .groupBy('state')
        .execute();
      t.diagnostic(
        `VM states at the end: ${JSON.stringify(Object.fromEntries(states.map((s) => [s.state, Number(s.n)])))}`,
      );
      assert.ok(
        states.every((s) => ['Running', 'Stopped', 'Destroyed', 'Error'].includes(s.state)),
        JSON.stringify(states),
      );
      const failedDeploys = await db
        .selectFrom('jobs')
        .select(['id', 'result'])
        .where('status', '=', 2)
        .where('cmd', 'like', '%DeployVM%')
        .execute();
      assert.deepEqual(failedDeploys.slice(0, 5), [], 'no deploy failed');
    });
    await check('after the storm');
    await fromTheFronts(storm, ledger);
    assert.deepEqual(storm.errors.slice(0, 10), [], `${storm.errors.length} errors`);
    t.diagnostic(
      `crash ${JSON.stringify({ ...figures, acknowledged: ledger.accepted, cloudstack: ledger.deployed.size, ec2: [...ledger.ec2.values()].flat().length, gce: [...ledger.gce.values()].flat().length, jobsSeenFinished: ledger.finished.size, destroyed: ledger.destroyed.size, meanRestartMs: Math.round(figures.downMs / Math.max(1, figures.kills)) })}`,
    );
  } finally {
    over = true;
    await Promise.all(servers.map((s: TestServer) => s.stop()));
    await tg.cleanup();
  }
}

/** The EC2 and GCE instances acknowledged to each tenant are there when its front is asked. */
async function fromTheFronts(storm: Storm, ledger: Ledger): Promise<void> {
  for (const [ti, ids] of ledger.ec2) {
    for (let i = 0; i < ids.length; i += 50) {
      const batch = ids.slice(i, i + 50);
      const r = await storm
        .client(0, ti)
        .ec2({ Action: 'DescribeInstances', ...Object.fromEntries(batch.map((id, j) => [`InstanceId.${j + 1}`, id])) });
      assert.equal(r.status, 200, `EC2 instances acknowledged to crash${ti} are all there: ${r.code}`);
    }
  }
  for (const [ti, names] of ledger.gce) {
    const listed = await storm
      .client(0, ti)
      .gce('GET', `crash${ti}/zones/${ZONE.toLowerCase()}/instances?maxResults=500`);
    const have = new Set((listed.body.items ?? []).map((x: any) => x.name));
    assert.deepEqual(
      names.filter((n) => !have.has(n)),
      [],
      `GCE instances acknowledged to crash${ti} are all there`,
    );
  }
}

for (const name of targetNames(['sqlite', 'postgres'])) {
  const nodes = name === 'postgres' ? 2 : 1;
  it(
    `crash [${name}, ${nodes} node${nodes > 1 ? 's' : ''}]: kill -9 ${SIZE.crashKills} times during a ${SIZE.crashVms}-VM deploy storm${FULL ? ' (full)' : ''}`,
    { timeout: 3_600_000 },
    async (t) => crash(t, await openTarget(name, nodes)),
  );
}
