import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy } from '../helpers/networking.js';

/**
 * listVirtualMachines narrows by every filter it is given (QueryManagerImpl.searchForUserVMsInternal):
 * a filter that is dropped lists every VM, and tools that pick the first VM of a filtered list
 * (Terraform data sources, Ansible lookups, the console's affinity page) then act on the wrong one.
 */
describe('listVirtualMachines filters', () => {
  let w: World;
  let admin: Api;
  let plain: any;
  let marked: any;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    const zone = w.zones.basic;
    const ag = (await admin('createAffinityGroup', { name: 'spread', type: 'host anti-affinity' })).body;
    assert.ok(ag.jobid ?? ag.affinitygroup, JSON.stringify(ag));
    await admin('createSSHKeyPair', { name: 'with_under' });
    await admin('createSSHKeyPair', { name: 'withXunder' });
    await admin('createInstanceGroup', { name: 'web' });
    plain = await deploy(w, admin, zone, { keypair: 'withXunder' });
    marked = await deploy(w, admin, zone, { affinitygroupnames: 'spread', keypair: 'with_under', group: 'web' });
  });
  after(() => w.close());

  const ids = async (params: Record<string, string>) =>
    ((await admin('listVirtualMachines', params)).body.virtualmachine ?? []).map((v: any) => v.id).sort();

  it('affinitygroupid, groupid and keypair each list only their VMs', async () => {
    const group = (await admin('listAffinityGroups', { name: 'spread' })).body.affinitygroup[0];
    assert.deepEqual(await ids({ affinitygroupid: group.id }), [marked.id]);
    const ig = (await admin('listInstanceGroups', { name: 'web' })).body.instancegroup[0];
    assert.deepEqual(await ids({ groupid: ig.id }), [marked.id]);
    assert.deepEqual(await ids({ keypair: 'with_under' }), [marked.id], 'an underscore is not a wildcard');
    assert.deepEqual(await ids({ keypair: 'withXunder' }), [plain.id]);
  });

  it('userid, storageid and vpcid narrow too', async () => {
    const me = (await admin('listUsers', { username: 'admin' })).body.user[0];
    assert.deepEqual(await ids({ userid: me.id }), [plain.id, marked.id].sort());
    const root = (await admin('listVolumes', { virtualmachineid: marked.id, type: 'ROOT' })).body.volume[0];
    const onPool = await ids({ storageid: root.storageid });
    assert.ok(onPool.includes(marked.id));
    const vpcOffering = (await admin('listVPCOfferings', { name: 'Default VPC offering' })).body.vpcoffering[0];
    const vpc = await admin('createVPC', {
      name: 'v',
      displaytext: 'v',
      cidr: '10.7.0.0/16',
      vpcofferingid: vpcOffering.id,
      zoneid: w.zones.advanced,
    });
    const vpcId = vpc.body.vpc?.id ?? vpc.body.id;
    assert.ok(vpcId, JSON.stringify(vpc.body));
    assert.deepEqual(await ids({ vpcid: vpcId }), []);
  });
});
