import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, tenant } from '../helpers/networking.js';

/**
 * ParamProcessWorker resolves a uuid including removed rows: a VM, volume or network of a deleted
 * account or project is "gone" (an empty list), not an unknown id (431). Marvin's
 * test_projects.test_08 lists a deleted project's volume by id and expects nothing.
 */
describe('ids of removed rows still resolve', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it("a deleted account's VM, volume and network list as empty; an id never made is 431", async () => {
    const a = await tenant(w, admin, 'removed-a');
    const vm = await deploy(w, a, w.zones.advanced);
    const volume = (await a('listVolumes', { virtualmachineid: vm.id })).body.volume[0].id;
    const network = vm.nic[0].networkid;
    const accountId = (await admin('listAccounts', { name: 'removed-a' })).body.account[0].id;
    assert.equal((await runJob(w, admin, 'deleteAccount', { id: accountId })).jobstatus, 1);
    for (const [cmd, id] of [
      ['listVirtualMachines', vm.id],
      ['listVolumes', volume],
      ['listNetworks', network],
    ] as const) {
      const r = await admin(cmd, { id, listall: 'true' });
      assert.equal(r.status, 200, `${cmd}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body, {}, cmd);
    }
    const unknown = await admin('listVolumes', { id: randomUUID() });
    assert.equal(unknown.status, 431);
    assert.match(
      unknown.body.errortext,
      /Invalid parameter id value=.* due to incorrect long value format, or entity does not exist/,
    );
  });

  it("a deleted project's volume lists as empty", async () => {
    const project = (await runJob(w, admin, 'createProject', { name: 'removed-p', displaytext: 'removed-p' })).jobresult
      .project;
    const offering = (await admin('listDiskOfferings', {})).body.diskoffering.find(
      (o: { iscustomized: boolean }) => !o.iscustomized,
    ).id;
    const volume = (
      await runJob(w, admin, 'createVolume', {
        name: 'pv',
        zoneid: w.zones.advanced,
        diskofferingid: offering,
        projectid: project.id,
      })
    ).jobresult.volume;
    const deleted = await runJob(w, admin, 'deleteProject', { id: project.id, cleanup: 'true' });
    assert.equal(deleted.jobstatus, 1, JSON.stringify(deleted.jobresult));
    const r = await admin('listVolumes', { id: volume.id });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, {});
  });
});
