import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import { CsClient } from '../helpers/cs-client.js';
import { createTenant, FrontClient } from '../helpers/fronts.js';
import type { TestServer } from '../helpers/server.js';
import { FULL, SIZE, freePort, sleep, startNode, target, type Target } from './harness.js';
import { brokenInvariants, stuckVms, unfinishedJobs } from './invariants.js';
import { ZONE } from './workload.js';

const GCE_ZONE = ZONE.toLowerCase();

/** What the clients saw succeed; after every restart all of it must still be there. */
class Ledger {
  /** CloudStack deploys answered 200: vm id → its job and the tenant that asked. */
  deployed = new Map<string, { job: string; tenant: number }>();
  /** Jobs the clients saw finish, with the status they saw. */
  finished = new Map<string, number>();
  /** VMs whose destroy-and-expunge the clients saw accepted (they may be gone). */
  destroyed = new Set<string>();
  /** EC2 instance ids RunInstances answered with, per tenant. */
  ec2 = new Map<number, string[]>();
  /** GCE instances inserted (operation accepted), per tenant. */
  gce = new Map<number, string[]>();
  get accepted(): number {
    return this.deployed.size + [...this.ec2.values(), ...this.gce.values()].reduce((n, l) => n + l.length, 0);
  }
}

/** Every acknowledged VM and job is in the database, and every job the client saw finish still says so. */
async function lost(db: Kysely<Database>, ledger: Ledger): Promise<string[]> {
  const out: string[] = [];
  // What was acknowledged before the tables are read; later answers are checked next time.
  const deployed = [...ledger.deployed];
  const finished = [...ledger.finished];
  const vms = new Map((await db.selectFrom('vms').select(['id', 'removed']).execute()).map((v) => [v.id, v]));
  const jobs = new Map((await db.selectFrom('jobs').select(['id', 'status']).execute()).map((j) => [j.id, j]));
  for (const [vm, { job }] of deployed) {
    const row = vms.get(vm);
    if (!row) out.push(`VM ${vm} (deploy acknowledged) is gone`);
    else if (row.removed && !ledger.destroyed.has(vm)) out.push(`VM ${vm} was expunged though nobody destroyed it`);
    if (!jobs.has(job)) out.push(`job ${job} (acknowledged) is gone`);
  }
  for (const [job, status] of finished) if (jobs.get(job)?.status !== status) out.push(`job ${job} was seen with status ${status}, now ${jobs.get(job)?.status}`);
  return out;
}

/**
 * Crash: a storm of deploys from several tenants over all three fronts while the node is killed
 * with SIGKILL SIZE.crashKills times. After each kill (on the files as the dead process left
 * them) and after each restart: no address or VLAN given twice, host and pool usage equal what
 * their VMs and volumes take, nothing a client saw succeed is lost; after each restart every job
 * created before the kill finishes, and every VM is in a stable state or has a job moving it.
 */
it(`crash: kill -9 ${SIZE.crashKills} times during a ${SIZE.crashVms}-VM deploy storm${FULL ? ' (full)' : ''}`, { timeout: 3_600_000 }, async (t) => {
  const tg = await target(t);
  if (!tg) return;
  const port = await freePort();
  const env = { POLYSTACK_AGENT_DELAY_MS: '200' };
  let node: TestServer = await startNode(tg, port, env);
  let up = true;
  const ledger = new Ledger();
  const errors: string[] = [];
  const figures = { kills: 0, downMs: 0, interrupted: 0, requests: 0, checks: 0, resumedJobs: 0 };
  try {
    const admin = new CsClient(node.endpoint, node.apiKey, node.secretKey);
    // Users remove their VMs with expunge=true, as a cleanup-minded client does; CloudStack allows it only with this setting.
    assert.equal((await admin.call('updateConfiguration', { name: 'allow.user.expunge.recover.vm', value: 'true' }, 'POST')).status, 200);
    const zoneId = (await admin.call('listZones')).body.zone.find((z: any) => z.name === ZONE).id;
    const offeringId = (await admin.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id;
    const templateId = (await admin.call('listTemplates', { templatefilter: 'featured' })).body.template.find((x: any) => x.name.startsWith('CentOS')).id;
    const tenants: FrontClient[] = [];
    for (let i = 0; i < SIZE.crashTenants; i++) tenants.push(new FrontClient(node.url, await createTenant(admin, `crash${i}`)));
    const imageId = [(await tenants[0]!.ec2({ Action: 'DescribeImages' })).xml.DescribeImagesResponse.imagesSet.item].flat().find((x: any) => /CentOS/.test(x.name)).imageId;

    /** One deploy (or a job check) by one tenant; a refused connection or a reset means the node is down. */
    const step = async (i: number): Promise<void> => {
      const ti = i % tenants.length;
      const c = tenants[ti]!;
      const kind = i % 10;
      figures.requests++;
      if (kind === 7) {
        const r = await c.ec2({ Action: 'RunInstances', ImageId: imageId, MinCount: '1', MaxCount: '1', InstanceType: 't2.micro', 'Placement.AvailabilityZone': ZONE });
        if (r.status !== 200) return void errors.push(`RunInstances → ${r.status} ${r.code}`);
        ledger.ec2.set(ti, [...(ledger.ec2.get(ti) ?? []), String(r.xml.RunInstancesResponse.instancesSet.item.instanceId)]);
      } else if (kind === 8) {
        const name = `storm-${i}`;
        const r = await c.gce('POST', `crash${ti}/zones/${GCE_ZONE}/instances`, {
          name, machineType: `zones/${GCE_ZONE}/machineTypes/small-instance`, disks: [{ boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } }],
        });
        if (r.status !== 200) return void errors.push(`instances.insert → ${r.status} ${r.text.slice(0, 200)}`);
        ledger.gce.set(ti, [...(ledger.gce.get(ti) ?? []), name]);
      } else if (kind === 9 && ledger.deployed.size) {
        // Look at an earlier job; once it is seen finished, that too must survive; a few finished VMs are destroyed.
        const [vm, { job, tenant }] = [...ledger.deployed][i % ledger.deployed.size]!;
        const owner = tenants[tenant]!;
        const r = await owner.cs.call('queryAsyncJobResult', { jobid: job });
        if (r.status === 200 && r.body.jobstatus !== 0) {
          ledger.finished.set(job, r.body.jobstatus);
          if (r.body.jobstatus !== 1) errors.push(`deploy job ${job} failed: ${JSON.stringify(r.body.jobresult).slice(0, 200)}`);
          else if (i % 3 === 0 && !ledger.destroyed.has(vm)) {
            const d = await owner.cs.call('destroyVirtualMachine', { id: vm, expunge: 'true' }, 'POST');
            if (d.status === 200) ledger.destroyed.add(vm);
            else errors.push(`destroy → ${d.status} ${JSON.stringify(d.body).slice(0, 200)}`);
          }
        } else if (r.status !== 200) errors.push(`queryAsyncJobResult → ${r.status}`);
      } else {
        const r = await c.cs.call('deployVirtualMachine', { zoneid: zoneId, serviceofferingid: offeringId, templateid: templateId, name: `storm-${i}` }, 'POST');
        if (r.status !== 200) return void errors.push(`deploy → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        ledger.deployed.set(r.body.id, { job: r.body.jobid, tenant: ti });
      }
    };

    let next = 0;
    const workers = Array.from({ length: FULL ? 24 : 8 }, async () => {
      while (ledger.accepted < SIZE.crashVms) {
        const i = next++;
        try {
          if (!up) {
            await sleep(20);
            continue;
          }
          await step(i);
        } catch (e) {
          // The node died under this request: the client saw no success, so nothing is owed.
          figures.interrupted++;
          await sleep(20);
        }
      }
    });

    const check = async (when: string, db: Kysely<Database>) => {
      figures.checks++;
      assert.deepEqual(await brokenInvariants(db), [], `${when}: invariants`);
      assert.deepEqual(await lost(db, ledger), [], `${when}: acknowledged work lost`);
    };

    const killer = (async () => {
      for (let k = 1; k <= SIZE.crashKills; k++) {
        while (ledger.accepted < (k * SIZE.crashVms) / (SIZE.crashKills + 1)) await sleep(10);
        // Take the ledger as it stands at the kill; answers still arriving belong to no one's success.
        up = false;
        const killedAt = Date.now();
        await node.kill();
        figures.kills++;
        const dead = await tg.open();
        try {
          await check(`after kill ${k}, before restart`, dead);
        } finally {
          await dead.destroy();
        }
        node = await startNode(tg, port, env);
        figures.downMs += Date.now() - killedAt;
        up = true;
        const db = await tg.open();
        try {
          await check(`after restart ${k}`, db);
          const before = await unfinishedJobs(db, killedAt);
          figures.resumedJobs += before.length;
          for (let w = 0; (await unfinishedJobs(db, killedAt)).length; w++) {
            assert.ok(w < 600, `restart ${k}: jobs from before the kill still pending after 60 s: ${JSON.stringify((await unfinishedJobs(db, killedAt)).slice(0, 5))}`);
            await sleep(100);
          }
          assert.deepEqual(await stuckVms(db), [], `restart ${k}: stuck VMs`);
          await check(`restart ${k}, its jobs done`, db);
        } finally {
          await db.destroy();
        }
      }
    })();
    await Promise.all([killer, ...workers]);
    up = true;

    // The storm is over: everything settles, and what the fronts acknowledged is still theirs.
    const db = await tg.open();
    try {
      for (let w = 0; (await unfinishedJobs(db, Date.now())).length; w++) {
        assert.ok(w < 1200, 'jobs still pending 2 minutes after the storm');
        await sleep(100);
      }
      assert.deepEqual(await stuckVms(db), []);
      await check('after the storm', db);
      const states = await db.selectFrom('vms').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('removed', 'is', null).groupBy('state').execute();
      t.diagnostic(`VM states at the end: ${JSON.stringify(Object.fromEntries(states.map((s) => [s.state, Number(s.n)])))}`);
      assert.ok(states.every((s) => ['Running', 'Stopped', 'Destroyed', 'Error'].includes(s.state)), JSON.stringify(states));
      const failedDeploys = await db.selectFrom('jobs').select(['id', 'result']).where('status', '=', 2).where('cmd', 'like', '%DeployVM%').execute();
      assert.deepEqual(failedDeploys.slice(0, 5), [], 'no deploy failed');
    } finally {
      await db.destroy();
    }
    for (const [ti, ids] of ledger.ec2) {
      for (let i = 0; i < ids.length; i += 50) {
        const batch = ids.slice(i, i + 50);
        const r = await tenants[ti]!.ec2({ Action: 'DescribeInstances', ...Object.fromEntries(batch.map((id, j) => [`InstanceId.${j + 1}`, id])) });
        assert.equal(r.status, 200, `EC2 instances acknowledged to crash${ti} are all there: ${r.code}`);
      }
    }
    for (const [ti, names] of ledger.gce) {
      const listed = await tenants[ti]!.gce('GET', `crash${ti}/zones/${GCE_ZONE}/instances?maxResults=500`);
      const have = new Set((listed.body.items ?? []).map((x: any) => x.name));
      assert.deepEqual(names.filter((n) => !have.has(n)), [], `GCE instances acknowledged to crash${ti} are all there`);
    }
    assert.deepEqual(errors.slice(0, 10), [], `${errors.length} errors`);
    t.diagnostic(`crash ${JSON.stringify({ ...figures, acknowledged: ledger.accepted, cloudstack: ledger.deployed.size, ec2: [...ledger.ec2.values()].flat().length, gce: [...ledger.gce.values()].flat().length, jobsSeenFinished: ledger.finished.size, destroyed: ledger.destroyed.size, meanRestartMs: Math.round(figures.downMs / Math.max(1, figures.kills)) })}`);
  } finally {
    await node.stop();
    tg.cleanup();
  }
});

export type { Target };
