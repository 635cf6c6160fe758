import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, offering } from '../helpers/networking.js';

/**
 * Filters of listNetworks, listPublicIpAddresses, listTemplates and listVolumes that were accepted and ignored
 * (test/cloudstack/unread-params.json): each must narrow the list, since tools take the first item
 * of a filtered list.
 */
describe('list filters that used to be ignored', () => {
  let w: World;
  let admin: Api;
  let net: any;
  let vm: any;
  let ip: any;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    const isolated = await offering(admin, 'DefaultIsolatedNetworkOfferingWithSourceNatService');
    const r = await admin('createNetwork', {
      zoneid: w.zones.advanced,
      name: 'filtered',
      displaytext: 'filtered',
      networkofferingid: isolated,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    vm = await deploy(w, admin, w.zones.advanced, { networkids: r.body.network.id });
    net = (await admin('listNetworks', { id: r.body.network.id })).body.network[0];
    ip = (await runJob(w, admin, 'associateIpAddress', { networkid: net.id })).jobresult.ipaddress;
    assert.deepEqual((await admin('enableStaticNat', { ipaddressid: ip.id, virtualmachineid: vm.id })).body, {
      success: true,
    });
  });
  after(() => w.close());

  const ids = async (command: string, key: string, params: Record<string, string | boolean>) =>
    ((await admin(command, { listall: true, ...params })).body[key] ?? []).map((x: any) => x.id);

  it('listNetworks narrows by networkofferingid, vlan, acltype and forvpc', async () => {
    const networks = (params: Record<string, string | boolean>) => ids('listNetworks', 'network', params);
    assert.match(net.vlan, /^\d+$/);
    assert.ok((await networks({ networkofferingid: net.networkofferingid })).includes(net.id));
    const vpcTier = await offering(admin, 'DefaultIsolatedNetworkOfferingForVpcNetworks');
    assert.ok(!(await networks({ networkofferingid: vpcTier })).includes(net.id));
    assert.deepEqual(await networks({ vlan: net.vlan }), [net.id]);
    assert.deepEqual(await networks({ vlan: `vlan://${net.vlan}` }), [net.id]);
    assert.ok((await networks({ acltype: 'account' })).includes(net.id));
    assert.ok(!(await networks({ acltype: 'Domain' })).includes(net.id));
    assert.ok((await networks({ forvpc: false })).includes(net.id));
    assert.ok(!(await networks({ forvpc: true })).includes(net.id));
  });

  it('listPublicIpAddresses narrows by isstaticnat, state, vlanid, forvirtualnetwork and fordisplay', async () => {
    const ips = (params: Record<string, string | boolean>) =>
      ids('listPublicIpAddresses', 'publicipaddress', { associatednetworkid: net.id, ...params });
    const both = await ips({});
    assert.equal(both.length, 2, 'the source NAT address and the static NAT one');
    assert.deepEqual(await ips({ isstaticnat: true }), [ip.id]);
    assert.deepEqual(
      await ips({ isstaticnat: false }),
      both.filter((id: string) => id !== ip.id),
    );
    assert.deepEqual((await ips({ state: 'allocated' })).sort(), [...both].sort());
    assert.deepEqual(await ips({ state: 'Releasing' }), []);
    assert.deepEqual((await ips({ vlanid: ip.vlanid })).sort(), [...both].sort());
    assert.deepEqual(await ips({ forvirtualnetwork: false }), []);
    assert.deepEqual(await ips({ fordisplay: false }), []);
  });

  it("listTemplates with parenttemplateid lists only that template's datadisk templates (none here)", async () => {
    const all = await ids('listTemplates', 'template', { templatefilter: 'all' });
    assert.ok(all.includes(w.template));
    assert.deepEqual(
      await ids('listTemplates', 'template', { templatefilter: 'all', parenttemplateid: w.template }),
      [],
    );
  });

  it('listVolumes honours displayvolume (every volume is displayed)', async () => {
    const volumes = (params: Record<string, string | boolean>) =>
      ids('listVolumes', 'volume', { virtualmachineid: vm.id, ...params });
    assert.equal((await volumes({ displayvolume: true })).length, 1);
    assert.deepEqual(await volumes({ displayvolume: false }), []);
  });

  it('listHosts narrows by hypervisor, matched case-blind as MySQL does', async () => {
    const routing = await ids('listHosts', 'host', { type: 'Routing' });
    assert.ok(routing.length > 0);
    assert.deepEqual(
      (await ids('listHosts', 'host', { type: 'Routing', hypervisor: 'simulator' })).sort(),
      [...routing].sort(),
    );
    assert.deepEqual(await ids('listHosts', 'host', { hypervisor: 'KVM' }), []);
  });

  it('listVirtualMachines narrows by hypervisor and by the ISO in the drive', async () => {
    assert.ok((await ids('listVirtualMachines', 'virtualmachine', { hypervisor: 'Simulator' })).includes(vm.id));
    assert.deepEqual(await ids('listVirtualMachines', 'virtualmachine', { hypervisor: 'XenServer' }), []);
    const iso = (await admin('listIsos', { isofilter: 'all', isready: true })).body.iso?.[0];
    assert.ok(iso, 'a ready ISO in the seeded cloud');
    assert.deepEqual(await ids('listVirtualMachines', 'virtualmachine', { isoid: iso.id }), []);
    assert.equal((await runJob(w, admin, 'attachIso', { id: iso.id, virtualmachineid: vm.id })).jobstatus, 1);
    assert.deepEqual(await ids('listVirtualMachines', 'virtualmachine', { isoid: iso.id }), [vm.id]);
  });

  it("listVPCs narrows by displaytext (a substring, as CloudStack's LIKE) and restartrequired", async () => {
    const vpcOffering = (await admin('listVPCOfferings', { name: 'Default VPC offering' })).body.vpcoffering[0].id;
    const made = await runJob(w, admin, 'createVPC', {
      name: 'filter-vpc',
      displaytext: 'the filtered one',
      cidr: '10.9.0.0/16',
      zoneid: w.zones.advanced,
      vpcofferingid: vpcOffering,
    });
    const id = made.jobresult.vpc.id;
    assert.deepEqual(await ids('listVPCs', 'vpc', { displaytext: 'filtered' }), [id]);
    assert.deepEqual(await ids('listVPCs', 'vpc', { displaytext: 'nothing like it' }), []);
    assert.ok((await ids('listVPCs', 'vpc', { restartrequired: false })).includes(id));
    assert.ok(!(await ids('listVPCs', 'vpc', { restartrequired: true })).includes(id));
  });
});
