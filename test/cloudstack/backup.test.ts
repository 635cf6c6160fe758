import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, jobFails, refused, tenant } from '../helpers/networking.js';

/** The backup and recovery framework with the dummy provider, zone by zone (BackupManagerImpl, DummyBackupProvider). */
describe('backup and recovery (dummy provider)', () => {
  let w: World;
  let admin: Api;
  let user: Api;
  let other: Api;
  let zone: string;
  let gold: string;
  let vm: any;

  const ok = async (api: Api, command: string, params: Record<string, string | number | boolean>) => {
    const r = await runJob(w, api, command, params);
    assert.equal(r.jobstatus, 1, `${command}: ${JSON.stringify(r.jobresult)}`);
    return r.jobresult;
  };
  const enable = (value: string, setting = 'backup.framework.enabled') =>
    admin('updateConfiguration', { name: setting, value, zoneid: zone });

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    zone = w.zones.advanced;
    user = await tenant(w, admin, 'bk-user');
    other = await tenant(w, admin, 'bk-other');
    vm = await deploy(w, user, zone);
  });
  after(() => w.close());

  it('answers every command while the zone has the framework off, and refuses what needs the zone', async () => {
    assert.deepEqual((await admin('listBackupProviders', {})).body, {
      count: 1,
      providers: [{ name: 'dummy', description: 'Dummy Backup Plugin' }],
    });
    await refused(
      w,
      admin,
      'listBackupProviderOfferings',
      { zoneid: zone },
      530,
      'Backup and Recovery feature is disabled for the zone',
    );
    await jobFails(
      w,
      admin,
      'importBackupOffering',
      { zoneid: zone, externalid: 'gold-policy', name: 'Gold', description: 'g', allowuserdrivenbackups: true },
      530,
      'Backup and Recovery feature is disabled for the zone',
    );
    assert.deepEqual((await user('listBackupOfferings', { zoneid: zone })).body, {});
  });

  it("lists the dummy provider's two policies once the zone turns the framework on", async () => {
    assert.equal((await enable('true')).status, 200);
    const r = await admin('listBackupProviderOfferings', { zoneid: zone });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.count, 2);
    assert.deepEqual(
      r.body.backupoffering.map((o: any) => [o.externalid, o.name, o.description, o.allowuserdrivenbackups, o.zoneid]),
      [
        ['gold-policy', 'Golden Policy', 'Gold description', true, zone],
        ['silver-policy', 'Silver Policy', 'Silver description', true, zone],
      ],
    );
    // Each listing makes new, unsaved offerings: their ids never repeat and resolve to nothing.
    const again = await admin('listBackupProviderOfferings', { zoneid: zone });
    assert.notEqual(again.body.backupoffering[0].id, r.body.backupoffering[0].id);
    assert.equal((await user('listBackupProviderOfferings', { zoneid: zone })).status, 432);
  });

  it('imports an offering in a job, and refuses the same external id or name twice', async () => {
    const o = await ok(admin, 'importBackupOffering', {
      zoneid: zone,
      externalid: 'gold-policy',
      name: 'Golden Policy',
      description: 'Gold description',
      allowuserdrivenbackups: true,
    });
    gold = o.backupoffering.id;
    assert.deepEqual(
      { ...o.backupoffering, id: undefined, created: undefined },
      {
        id: undefined,
        name: 'Golden Policy',
        description: 'Gold description',
        externalid: 'gold-policy',
        allowuserdrivenbackups: true,
        zoneid: zone,
        zonename: 'Sandbox-simulator-advanced',
        created: undefined,
      },
    );
    await jobFails(
      w,
      admin,
      'importBackupOffering',
      { zoneid: zone, externalid: 'gold-policy', name: 'Other', description: 'x', allowuserdrivenbackups: true },
      530,
      'A backup offering with external ID gold-policy already exists',
    );
    await jobFails(
      w,
      admin,
      'importBackupOffering',
      { zoneid: zone, externalid: 'other', name: 'Golden Policy', description: 'x', allowuserdrivenbackups: true },
      530,
      'A backup offering with the same name already exists in this zone',
    );
    const listed = await user('listBackupOfferings', { zoneid: zone });
    assert.deepEqual(
      listed.body.backupoffering.map((x: any) => x.id),
      [gold],
    );
    // 4.18 compares the name with the keyword wrapped in % signs (an EQ), so a keyword finds nothing.
    assert.deepEqual((await admin('listBackupOfferings', { keyword: 'Golden' })).body, {});
  });

  it('assigns a VM, which then shows its offering, and refuses a second assignment', async () => {
    assert.deepEqual(
      await ok(user, 'assignVirtualMachineToBackupOffering', { virtualmachineid: vm.id, backupofferingid: gold }),
      { success: true },
    );
    const shown = (await user('listVirtualMachines', { id: vm.id })).body.virtualmachine[0];
    assert.equal(shown.backupofferingid, gold);
    assert.equal(shown.backupofferingname, 'Golden Policy');
    await jobFails(
      w,
      user,
      'assignVirtualMachineToBackupOffering',
      { virtualmachineid: vm.id, backupofferingid: gold },
      530,
      'VM already is assigned to a backup offering, please remove the VM from its previous offering',
    );
    await refused(
      w,
      admin,
      'deleteBackupOffering',
      { id: gold },
      530,
      'Backup offering is assigned to VMs, remove the assignment(s) in order to remove the offering.',
    );
  });

  it("takes a backup with the dummy provider's sizes, visible to the owner and refused to another account", async () => {
    assert.deepEqual((await user('listBackups', { virtualmachineid: vm.id, listall: true })).body, {});
    assert.deepEqual(await ok(user, 'createBackup', { virtualmachineid: vm.id }), { success: true });
    const list = (await user('listBackups', { virtualmachineid: vm.id, listall: true })).body;
    assert.equal(list.count, 1);
    const b = list.backup[0];
    assert.equal(b.virtualmachineid, vm.id);
    assert.equal(b.virtualmachinename, vm.name);
    assert.deepEqual(
      [b.externalid, b.type, b.size, b.virtualsize, b.status],
      ['dummy-external-id', 'FULL', 1024, 1024000, 'BackedUp'],
    );
    assert.match(b.created, /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}$/);
    assert.deepEqual(
      [b.backupofferingid, b.backupofferingname, b.account, b.zoneid],
      [gold, 'Golden Policy', 'bk-user', zone],
    );
    const volumes = JSON.parse(b.volumes);
    assert.deepEqual(
      volumes.map((v: any) => v.type),
      ['ROOT'],
    );
    assert.equal(volumes[0].uuid, (await user('listVolumes', { virtualmachineid: vm.id })).body.volume[0].id);
    await refused(
      w,
      other,
      'listBackups',
      { virtualmachineid: vm.id },
      530,
      /does not have permission to operate with resource VirtualMachine/,
    );
    assert.deepEqual((await other('listBackups', { listall: true })).body, {});
    await jobFails(w, other, 'createBackup', { virtualmachineid: vm.id }, 530, /does not have permission/);
  });

  it('keeps one schedule per VM: create, list, update, delete', async () => {
    const made = await user('createBackupSchedule', {
      virtualmachineid: vm.id,
      intervaltype: 'weekly',
      timezone: 'CET',
      schedule: '00:01:1',
    });
    assert.deepEqual(made.body, {
      backupschedule: {
        virtualmachinename: vm.name,
        virtualmachineid: vm.id,
        schedule: '00:01:1',
        intervaltype: 'WEEKLY',
        timezone: 'CET',
      },
    });
    assert.deepEqual(
      (await user('listBackupSchedule', { virtualmachineid: vm.id })).body.backupschedule.intervaltype,
      'WEEKLY',
    );
    await user('updateBackupSchedule', {
      virtualmachineid: vm.id,
      intervaltype: 'MONTHLY',
      timezone: 'CET',
      schedule: '00:02:20',
    });
    const listed = (await user('listBackupSchedule', { virtualmachineid: vm.id })).body.backupschedule;
    assert.deepEqual([listed.intervaltype, listed.schedule], ['MONTHLY', '00:02:20']);
    await refused(
      w,
      user,
      'updateBackupSchedule',
      { virtualmachineid: vm.id, intervaltype: 'MONTHLY', timezone: 'CET', schedule: '00:02:29' },
      530,
      'Invalid schedule: 00:02:29 for interval type: MONTHLY',
    );
    await refused(
      w,
      user,
      'createBackupSchedule',
      { virtualmachineid: vm.id, intervaltype: 'YEARLY', timezone: 'CET', schedule: '0' },
      530,
      'Invalid interval type provided',
    );
    // A zone name Java does not know reads as GMT.
    assert.equal(
      (
        await user('createBackupSchedule', {
          virtualmachineid: vm.id,
          intervaltype: 'HOURLY',
          timezone: 'Mars/Base',
          schedule: '5',
        })
      ).body.backupschedule.timezone,
      'GMT',
    );
    assert.equal((await user('deleteBackupSchedule', { virtualmachineid: vm.id })).status, 200);
    assert.deepEqual((await user('listBackupSchedule', { virtualmachineid: vm.id })).body, {});
    await refused(
      w,
      user,
      'deleteBackupSchedule',
      { virtualmachineid: vm.id },
      530,
      'VM has no backup schedule defined, no need to delete anything.',
    );
  });

  it('runs a schedule when it comes due', async () => {
    // Due two minutes from now: a longer wait would outlast the sessions.
    const minute = (new Date(w.clock.now()).getUTCMinutes() + 2) % 60;
    await user('createBackupSchedule', {
      virtualmachineid: vm.id,
      intervaltype: 'HOURLY',
      timezone: 'UTC',
      schedule: String(minute),
    });
    const before = (await user('listBackups', { virtualmachineid: vm.id })).body.count;
    assert.equal(await w.s.backupSchedules.runDue(await w.s.system()), 0);
    w.clock.advance(180_000);
    assert.equal(await w.s.backupSchedules.runDue(await w.s.system()), 1);
    const jobs = await w.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'backup.create')
      .where('status', '=', 0)
      .execute();
    for (const j of jobs) await runUntilDone(j.id);
    assert.equal((await user('listBackups', { virtualmachineid: vm.id })).body.count, before + 1);
    assert.equal(await w.s.backupSchedules.runDue(await w.s.system()), 0, 'the schedule moved to its next hour');
  });

  it('restores only a stopped VM, and the dummy provider cannot restore a volume', async () => {
    const backup = (await user('listBackups', { virtualmachineid: vm.id })).body.backup[0].id;
    await jobFails(
      w,
      user,
      'restoreBackup',
      { id: backup },
      530,
      'Existing VM should be stopped before being restored from backup',
    );
    await ok(user, 'stopVirtualMachine', { id: vm.id });
    assert.deepEqual(await ok(user, 'restoreBackup', { id: backup }), { success: true });
    assert.equal((await user('listVirtualMachines', { id: vm.id })).body.virtualmachine[0].state, 'Stopped');
    const root = (await user('listVolumes', { virtualmachineid: vm.id })).body.volume[0].id;
    await jobFails(
      w,
      user,
      'restoreVolumeFromBackupAndAttachToVM',
      { backupid: backup, volumeid: root, virtualmachineid: vm.id },
      530,
      'The selected VM has backups, cannot restore and attach volume to the VM.',
    );
    const target = await deploy(w, user, zone);
    const r = await runJob(w, user, 'restoreVolumeFromBackupAndAttachToVM', {
      backupid: backup,
      volumeid: root,
      virtualmachineid: target.id,
    });
    assert.equal(r.jobresultcode, 530);
    assert.match(
      r.jobresult.errortext,
      /^Failed to update state of VM \[VM instance \{.*\}\] with event \[RestoringRequested\] due to \[Unable to transition to a new state from Running via RestoringRequested\]\.$/,
    );
    await ok(user, 'stopVirtualMachine', { id: target.id });
    const stopped = await runJob(w, user, 'restoreVolumeFromBackupAndAttachToVM', {
      backupid: backup,
      volumeid: root,
      virtualmachineid: target.id,
    });
    assert.match(
      stopped.jobresult.errortext,
      new RegExp(
        `^Error restoring volume \\[${root}\\] of VM \\[${target.id}\\] to host \\[[-0-9a-f]+\\] using backup provider \\[dummy\\] due to: \\[\\]\\.$`,
      ),
    );
  });

  it('keeps a VM on an offering from changing its disks unless the setting allows it', async () => {
    const disk = (await admin('listDiskOfferings', {})).body.diskoffering.find((d: any) => !d.iscustomized).id;
    const vol = await ok(user, 'createVolume', { name: 'bk-data', zoneid: zone, diskofferingid: disk });
    await jobFails(
      w,
      user,
      'attachVolume',
      { id: vol.volume.id, virtualmachineid: vm.id },
      431,
      "Unable to attach volume, please specify a VM that does not have any backups or set the global configuration 'backup.enable.attach.detach.of.volumes' to true.",
    );
    await admin('updateConfiguration', { name: 'backup.enable.attach.detach.of.volumes', value: 'true' });
    await ok(user, 'attachVolume', { id: vol.volume.id, virtualmachineid: vm.id });
    await admin('updateConfiguration', { name: 'backup.enable.attach.detach.of.volumes', value: 'false' });
  });

  it('removes a VM from its offering only when forced, dropping its backups and schedule', async () => {
    await user('createBackupSchedule', {
      virtualmachineid: vm.id,
      intervaltype: 'DAILY',
      timezone: 'UTC',
      schedule: '00:01',
    });
    await jobFails(
      w,
      user,
      'removeVirtualMachineFromBackupOffering',
      { virtualmachineid: vm.id },
      530,
      `To remove VM [id: ${vm.id}, name: ${vm.instancename ?? (await admin('listVirtualMachines', { id: vm.id, listall: true })).body.virtualmachine[0].instancename}] from Backup Offering [id: ${gold}, name: Golden Policy] using the provider [DummyBackupProvider], please specify the forced:true option to allow the deletion of all jobs and backups for this VM or remove the backups that this VM has with the backup offering.`,
    );
    assert.deepEqual(
      await ok(user, 'removeVirtualMachineFromBackupOffering', { virtualmachineid: vm.id, forced: true }),
      { success: true },
    );
    assert.deepEqual((await user('listBackups', { virtualmachineid: vm.id })).body, {});
    assert.deepEqual((await user('listBackupSchedule', { virtualmachineid: vm.id })).body, {});
    assert.equal((await user('listVirtualMachines', { id: vm.id })).body.virtualmachine[0].backupofferingid, undefined);
    await jobFails(
      w,
      user,
      'removeVirtualMachineFromBackupOffering',
      { virtualmachineid: vm.id, forced: true },
      530,
      'No previously configured backup offering found for the VM',
    );
    await jobFails(
      w,
      user,
      'createBackup',
      { virtualmachineid: vm.id },
      530,
      'VM has not backup offering configured, cannot create backup before assigning it to a backup offering',
    );
  });

  it('deletes a backup; a deleted backup cannot be restored or deleted again', async () => {
    await ok(user, 'assignVirtualMachineToBackupOffering', { virtualmachineid: vm.id, backupofferingid: gold });
    await ok(user, 'createBackup', { virtualmachineid: vm.id });
    const id = (await user('listBackups', { virtualmachineid: vm.id })).body.backup[0].id;
    assert.deepEqual(await ok(user, 'deleteBackup', { id }), { success: true });
    assert.deepEqual((await user('listBackups', { virtualmachineid: vm.id })).body, {});
    await jobFails(w, user, 'deleteBackup', { id }, 530, 'Error while deleting backup of VM');
    await jobFails(w, user, 'restoreBackup', { id }, 530, /^Backup \d+ does not exist$/);
    await ok(user, 'removeVirtualMachineFromBackupOffering', { virtualmachineid: vm.id, forced: true });
  });

  it('updates and deletes an offering; a deleted one is gone from lists but its id still resolves', async () => {
    await refused(
      w,
      admin,
      'updateBackupOffering',
      { id: gold },
      431,
      /^Can't update Backup Offering \[id: \d+\] because there is no change/,
    );
    const u = await admin('updateBackupOffering', {
      id: gold,
      description: 'Gold, updated',
      allowuserdrivenbackups: false,
    });
    assert.deepEqual(
      [u.body.backupoffering.description, u.body.backupoffering.allowuserdrivenbackups],
      ['Gold, updated', false],
    );
    assert.equal((await admin('deleteBackupOffering', { id: gold })).status, 200);
    assert.deepEqual((await admin('listBackupOfferings', { zoneid: zone })).body, {});
    await refused(w, admin, 'listBackupOfferings', { id: gold }, 530, /^Offering ID \d+ does not exist$/);
    await refused(
      w,
      admin,
      'deleteBackupOffering',
      { id: gold },
      530,
      /^Could not find a backup offering with id: \d+$/,
    );
  });

  it('names a provider the zone does not have, and turns the zone off again', async () => {
    await enable('veeam', 'backup.framework.provider.plugin');
    await refused(
      w,
      admin,
      'listBackupProviderOfferings',
      { zoneid: zone },
      530,
      'Failed to find backup provider by the name: veeam',
    );
    await enable('dummy', 'backup.framework.provider.plugin');
    await enable('false');
    await refused(
      w,
      admin,
      'listBackupProviderOfferings',
      { zoneid: zone },
      530,
      'Backup and Recovery feature is disabled for the zone',
    );
  });

  async function runUntilDone(jobId: string): Promise<void> {
    const { finish } = await import('../helpers/inprocess.js');
    const j = await finish(w, jobId);
    assert.equal(j.status, 1, j.result ?? '');
  }
});
