import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, refused, tenant } from '../helpers/networking.js';

const BACKUP = 'backup.framework.enabled';
const MEM = 'cluster.memory.allocated.capacity.notificationthreshold';

const setting = async (api: Api, name: string, scope: Record<string, string> = {}) => {
  const r = await api('listConfigurations', { name, ...scope });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.configuration?.[0];
};

describe('scoped settings: a value per zone or cluster, beside the global one (ConfigKey.valueIn)', () => {
  let w: World;
  let admin: Api;
  const dir = mkdtempSync(join(tmpdir(), 'scoped-'));
  // The restart case needs a file; on PostgreSQL the world's own database is used.
  const file = process.env['POLYSTACK_TEST_DB'] === 'postgres' ? undefined : join(dir, 'db.sqlite');

  before(async () => {
    w = await world({ delayMs: 0, ...(file ? { file } : {}) });
    admin = await apiSession(w);
  });
  after(async () => {
    await w.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('updateConfiguration zoneid= sets that zone only: global and the other zone keep theirs', async () => {
    const { basic, advanced } = w.zones;
    const r = await admin('updateConfiguration', { name: BACKUP, value: 'true', zoneid: basic });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.configuration.value, 'true');
    assert.equal(r.body.configuration.scope, 'zone');
    assert.equal((await setting(admin, BACKUP)).value, 'false', 'the global value is untouched');
    assert.equal((await setting(admin, BACKUP, { zoneid: basic })).value, 'true');
    const other = await setting(admin, BACKUP, { zoneid: advanced });
    assert.equal(other.value, 'false', 'another zone reads the global value');
    assert.equal(other.scope, 'zone');
  });

  it('listConfigurations zoneid= lists only zone-scoped settings', async () => {
    const r = await admin('listConfigurations', { zoneid: w.zones.basic });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const names = r.body.configuration.map((c: any) => c.name);
    assert.ok(names.includes(BACKUP));
    assert.ok(!names.includes('expunge.delay'), 'a global-only setting has no zone value');
  });

  it("a setting that is not zone-scoped is refused with CloudStack's text, and nothing changes", async () => {
    const before = (await setting(admin, 'expunge.delay')).value;
    await refused(
      w,
      admin,
      'updateConfiguration',
      { name: 'expunge.delay', value: '5', zoneid: w.zones.basic },
      431,
      'Invalid scope id provided for the parameter expunge.delay',
    );
    const cluster = (await admin('listClusters', {})).body.cluster[0].id;
    await refused(
      w,
      admin,
      'updateConfiguration',
      { name: BACKUP, value: 'true', zoneid: w.zones.basic, clusterid: cluster },
      431,
      'cannot handle multiple IDs, provide only one ID corresponding to the scope',
    );
    assert.equal((await setting(admin, 'expunge.delay')).value, before);
  });

  it('a cluster-scoped alert threshold governs that cluster only', async () => {
    const user = await tenant(w, admin, 'scoped');
    const vm = await deploy(w, user, w.zones.basic);
    const hostid = (await admin('listVirtualMachines', { id: vm.id, listall: true })).body.virtualmachine[0].hostid;
    const host = (await admin('listHosts', { id: hostid })).body.host[0];
    const r = await admin('updateConfiguration', { name: MEM, value: '0.0001', clusterid: host.clusterid });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.configuration.scope, 'cluster');
    assert.equal((await setting(admin, MEM)).value, '0.75');
    await w.s.alerts.check();
    const mem = (await admin('listAlerts', { type: '0' })).body.alert ?? [];
    assert.equal(mem.length, 1, JSON.stringify(mem));
    assert.match(mem[0].description, new RegExp(`in cluster ${host.clustername} `));
  });

  it('resetConfiguration removes a scoped override and puts a global default back', async () => {
    const { basic } = w.zones;
    const r = await admin('resetConfiguration', { name: BACKUP, zoneid: basic });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.configuration.value, 'false');
    assert.equal((await setting(admin, BACKUP, { zoneid: basic })).value, 'false');
    assert.equal((await admin('updateConfiguration', { name: 'expunge.delay', value: '60' })).status, 200);
    const g = await admin('resetConfiguration', { name: 'expunge.delay' });
    assert.equal(g.body.configuration.value, '86400');
    assert.equal((await setting(admin, 'expunge.delay')).value, '86400');
  });

  it('a scoped value survives a restart', { skip: !file && 'needs a database file' }, async () => {
    assert.equal(
      (await admin('updateConfiguration', { name: BACKUP, value: 'true', zoneid: w.zones.advanced })).status,
      200,
    );
    await w.close();
    w = await world({ delayMs: 0, file: file! });
    admin = await apiSession(w);
    assert.equal((await setting(admin, BACKUP, { zoneid: w.zones.advanced })).value, 'true');
    assert.equal((await setting(admin, BACKUP, { zoneid: w.zones.basic })).value, 'false');
    assert.equal((await setting(admin, BACKUP)).value, 'false');
  });
});

describe('configuration groups and the fields 4.18 answers on each setting', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it('listConfigurationGroups answers the nine groups by precedence, each with its subgroups', async () => {
    const r = await admin('listConfigurationGroups', {});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const groups = r.body.configurationgroup;
    assert.deepEqual(
      groups.map((g: any) => g.name),
      [
        'Access',
        'Compute',
        'Storage',
        'Network',
        'Hypervisor',
        'Management Server',
        'System VMs',
        'Infrastructure',
        'Miscellaneous',
      ],
    );
    assert.equal(r.body.count, 9);
    const misc = groups.at(-1);
    assert.deepEqual(
      misc.subgroup.map((s: any) => s.name),
      ['Backup & Recovery', 'Certificate Authority', 'Quota', 'Cloudian', 'Others'],
    );
    assert.equal(misc.description, 'Miscellaneous configuration');
    assert.equal(
      (await admin('listConfigurationGroups', { group: 'Compute' })).body.configurationgroup[0].subgroup[0].name,
      'Virtual Machine',
    );
  });

  it('a setting carries group, subgroup, parent, display text, type and default as the upgrade assigns them', async () => {
    const plugin = await setting(admin, 'backup.framework.provider.plugin');
    assert.equal(plugin.group, 'Miscellaneous');
    assert.equal(plugin.subgroup, 'Backup & Recovery');
    assert.equal(plugin.parent, BACKUP);
    assert.equal(plugin.displaytext, 'Backup framework provider plugin');
    assert.equal(plugin.defaultvalue, 'dummy');
    assert.equal(plugin.scope, 'zone');
    const delay = await setting(admin, 'expunge.delay');
    assert.deepEqual(
      [delay.group, delay.subgroup, delay.type, delay.parent],
      ['Management Server', 'Limits', 'Number', undefined],
    );
    // A capacity threshold is one of ConfigurationManagerImpl's weight-based settings: type Range.
    assert.equal((await setting(admin, MEM)).type, 'Range');
    assert.equal((await setting(admin, MEM)).scope, 'cluster');
    const limits = (await admin('listConfigurations', { group: 'Access', subgroup: 'Project' })).body.configuration.map(
      (c: any) => c.name,
    );
    assert.ok(
      limits.includes('project.invite.required') &&
        limits.every((n: string) => n.startsWith('project.') || n.includes('.project.')),
      limits.join(),
    );
    const children = (await admin('listConfigurations', { parent: 'api.throttling.enabled' })).body.configuration
      .map((c: any) => c.name)
      .sort();
    assert.ok(children.includes('api.throttling.max') && children.includes('api.throttling.interval'), children.join());
  });

  it('storage.overprovisioning.factor set for one pool is what listStoragePools shows for that pool only', async () => {
    const pools = (await admin('listStoragePools', {})).body.storagepool;
    assert.ok(pools.length >= 2, 'two pools to compare');
    assert.ok(pools.every((p: any) => p.overprovisionfactor === '2.0'));
    const r = await admin('updateConfiguration', {
      name: 'storage.overprovisioning.factor',
      value: '3',
      storageid: pools[0].id,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.configuration.scope, 'storagepool');
    const after = (await admin('listStoragePools', {})).body.storagepool;
    assert.equal(after.find((p: any) => p.id === pools[0].id).overprovisionfactor, '3.0');
    assert.equal(after.find((p: any) => p.id === pools[1].id).overprovisionfactor, '2.0');
    assert.equal((await setting(admin, 'storage.overprovisioning.factor')).value, '2');
    await refused(
      w,
      admin,
      'updateConfiguration',
      { name: 'storage.overprovisioning.factor', value: '3', zoneid: w.zones.basic },
      431,
      'Invalid scope id provided for the parameter storage.overprovisioning.factor',
    );
  });
});
