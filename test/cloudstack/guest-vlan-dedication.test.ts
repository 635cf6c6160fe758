import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, offering, refused, tenant } from '../helpers/networking.js';

/**
 * updatePhysicalNetwork vlan=, dedicateGuestVlanRange / listDedicatedGuestVlanRanges /
 * releaseDedicatedGuestVlanRange (NetworkServiceImpl), and the guest VLAN a network is given when
 * it is implemented (DataCenterDaoImpl.allocateVnet).
 */
describe('guest VLAN ranges and their dedication', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  let b: Api;
  let pnet: any;
  let domainId: string;
  const vlanOf = async (id: string) => (await admin('listNetworks', { id, listall: true })).body.network[0].vlan;
  const update = async (vlan: string) => {
    const r = await runJob(w, admin, 'updatePhysicalNetwork', { id: pnet.id, vlan });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    return r.jobresult.physicalnetwork;
  };
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    a = await tenant(w, admin, 'gv-a');
    b = await tenant(w, admin, 'gv-b');
    domainId = (await admin('listAccounts', { name: 'gv-a' })).body.account[0].domainid;
    pnet = (await admin('listPhysicalNetworks', { zoneid: w.zones.advanced })).body.physicalnetwork[0];
  });
  after(() => w.close());

  it('takes the vnet ranges given as the whole set, each run of consecutive vnets one range', async () => {
    assert.equal(pnet.vlan, '100-200');
    assert.equal((await update('100-200,206-207')).vlan, '100-200,206-207');
    assert.equal((await update('100-150,140-200,201-203,206-207')).vlan, '100-203,206-207');
    assert.equal((await update('100-200,206-207')).vlan, '100-200,206-207', 'vnets left out are removed');
  });

  it('dedicates a range of the vnets to an account, and only that', async () => {
    await refused(
      w,
      admin,
      'dedicateGuestVlanRange',
      { vlanrange: '300-301', physicalnetworkid: pnet.id, account: 'gv-a', domainid: domainId },
      431,
      'Unable to find guest vlan by range 300-301',
    );
    await refused(
      w,
      admin,
      'dedicateGuestVlanRange',
      { vlanrange: '206', physicalnetworkid: pnet.id, account: 'gv-a', domainid: domainId },
      431,
      "Invalid format for parameter value vlan 206 .Vlan should be specified as 'startvlan-endvlan'",
    );
    await refused(
      w,
      admin,
      'dedicateGuestVlanRange',
      { vlanrange: '206-207', physicalnetworkid: pnet.id, account: 'nobody', domainid: domainId },
      431,
      'Unable to find account by name nobody',
    );
    const r = await admin('dedicateGuestVlanRange', {
      vlanrange: '206-206',
      physicalnetworkid: pnet.id,
      account: 'gv-a',
      domainid: domainId,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const d = r.body.dedicatedguestvlanrange;
    assert.deepEqual(
      { ...d, id: undefined, domain: undefined },
      {
        id: undefined,
        domain: undefined,
        account: 'gv-a',
        domainid: domainId,
        guestvlanrange: '206-206',
        physicalnetworkid: pnet.id,
        zoneid: w.zones.advanced,
      },
    );
    // The next vnet for the same account extends its range instead of making another.
    const ext = (
      await admin('dedicateGuestVlanRange', {
        vlanrange: '207-207',
        physicalnetworkid: pnet.id,
        account: 'gv-a',
        domainid: domainId,
      })
    ).body.dedicatedguestvlanrange;
    assert.equal(ext.id, d.id);
    assert.equal(ext.guestvlanrange, '206-207');
    await refused(
      w,
      admin,
      'dedicateGuestVlanRange',
      { vlanrange: '207-207', physicalnetworkid: pnet.id, account: 'gv-b', domainid: domainId },
      431,
      'Vlan range is already dedicated. Cannot dedicate guest vlan range 207-207',
    );
    const listed = (await admin('listDedicatedGuestVlanRanges', { id: d.id })).body;
    assert.equal(listed.count, 1);
    assert.equal(listed.dedicatedguestvlanrange[0].account, 'gv-a');
    assert.equal(
      (await admin('listDedicatedGuestVlanRanges', { account: 'gv-b', domainid: domainId })).body.count ?? 0,
      0,
    );
    assert.equal(
      (await admin('listDedicatedGuestVlanRanges', { guestvlanrange: '206-207', zoneid: w.zones.advanced })).body.count,
      1,
    );
  });

  it('gives the owner its dedicated VLANs first; other accounts never take them', async () => {
    const netA = (await deploy(w, a, w.zones.advanced)).nic[0].networkid;
    const netB = (await deploy(w, b, w.zones.advanced)).nic[0].networkid;
    assert.equal(await vlanOf(netA), '206');
    assert.equal(await vlanOf(netB), '100');
    // A vnet a network holds cannot leave the range.
    const held = await runJob(w, admin, 'updatePhysicalNetwork', { id: pnet.id, vlan: '100-200' });
    assert.equal(held.jobstatus, 2);
    assert.equal(held.jobresult.errortext, `physicalnetwork ${pnet.id} has allocated vnets in the range 206-207`);
  });

  it('lets an account whose dedicated VLANs are used up take the system pool only while use.system.guest.vlans is true', async () => {
    const isolated = await offering(admin, 'DefaultIsolatedNetworkOfferingWithSourceNatService');
    const mk = async (name: string) =>
      (await a('createNetwork', { zoneid: w.zones.advanced, name, displaytext: name, networkofferingid: isolated }))
        .body.network.id as string;
    const second = await mk('gv-a-2');
    await deploy(w, a, w.zones.advanced, { networkids: second });
    assert.equal(await vlanOf(second), '207');
    const accountId = (await admin('listAccounts', { name: 'gv-a' })).body.account[0].id;
    assert.equal(
      (await admin('updateConfiguration', { name: 'use.system.guest.vlans', value: 'false', accountid: accountId }))
        .status,
      200,
    );
    const third = await mk('gv-a-3');
    const r = await runJob(w, a, 'deployVirtualMachine', {
      zoneid: w.zones.advanced,
      serviceofferingid: w.small,
      templateid: w.template,
      networkids: third,
    });
    assert.equal(r.jobstatus, 2, 'no VLAN left for it');
    assert.equal(
      (await admin('updateConfiguration', { name: 'use.system.guest.vlans', value: 'true', accountid: accountId }))
        .status,
      200,
    );
    await deploy(w, a, w.zones.advanced, { networkids: third });
    assert.equal(await vlanOf(third), '101');
  });

  it('refuses to remove vnets of a dedicated range, and releases the range back to the system pool', async () => {
    const [d] = (await admin('listDedicatedGuestVlanRanges', { physicalnetworkid: pnet.id })).body
      .dedicatedguestvlanrange;
    await update('100-200,206-209');
    const free = (
      await admin('dedicateGuestVlanRange', {
        vlanrange: '209-209',
        physicalnetworkid: pnet.id,
        account: 'gv-b',
        domainid: domainId,
      })
    ).body.dedicatedguestvlanrange;
    const r = await runJob(w, admin, 'updatePhysicalNetwork', { id: pnet.id, vlan: '100-200,206-208' });
    assert.equal(r.jobstatus, 2);
    assert.equal(
      r.jobresult.errortext,
      'Vnet range 209-209 is dedicated to an account. The specified range 209-209 overlaps with the dedicated range  Please release the overlapping dedicated range before deleting the range',
    );
    const rel = await runJob(w, admin, 'releaseDedicatedGuestVlanRange', { id: free.id });
    assert.deepEqual(rel.jobresult, { success: true });
    assert.equal((await update('100-200,206-208')).vlan, '100-200,206-208');
    // The dedication is gone (account_vnet_map rows are deleted): its id no longer resolves.
    await refused(
      w,
      admin,
      'releaseDedicatedGuestVlanRange',
      { id: free.id },
      431,
      /Invalid parameter id value=.* entity does not exist/,
    );
    assert.deepEqual((await runJob(w, admin, 'releaseDedicatedGuestVlanRange', { id: d.id })).jobresult, {
      success: true,
    });
    assert.equal((await admin('listDedicatedGuestVlanRanges', {})).body.count ?? 0, 0);
  });
});

describe('a VLAN given with a network or an IP range', () => {
  let w: World;
  let admin: Api;
  let shared: string;
  const params = {
    zoneid: '',
    name: 'sh',
    displaytext: 'sh',
    gateway: '10.40.0.1',
    netmask: '255.255.255.0',
    startip: '10.40.0.10',
    endip: '10.40.0.20',
  };
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    shared = await offering(admin, 'DefaultSharedNetworkOffering');
    params.zoneid = w.zones.advanced;
  });
  after(() => w.close());

  it('may not be one of the physical network vnets CloudStack hands out, unless a shared network bypasses the check', async () => {
    await refused(
      w,
      admin,
      'createNetwork',
      { ...params, networkofferingid: shared, vlan: 150 },
      431,
      'The VLAN tag 150 is already being used for dynamic vlan allocation for the guest network in zone Sandbox-simulator-advanced',
    );
    const r = await admin('createNetwork', {
      ...params,
      networkofferingid: shared,
      vlan: 150,
      bypassvlanoverlapcheck: true,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.network.vlan, '150');
    // A range on the network with its (in-range) VLAN is still refused, the network's offering specifying VLANs.
    await refused(
      w,
      admin,
      'createVlanIpRange',
      {
        networkid: r.body.network.id,
        vlan: 150,
        gateway: '10.41.0.1',
        netmask: '255.255.255.0',
        startip: '10.41.0.10',
        endip: '10.41.0.20',
        forvirtualnetwork: false,
      },
      431,
      'The VLAN tag 150 is already being used for dynamic vlan allocation for the guest network in zone Sandbox-simulator-advanced',
    );
    await refused(
      w,
      admin,
      'createVlanIpRange',
      {
        zoneid: w.zones.advanced,
        vlan: 120,
        gateway: '172.31.0.1',
        netmask: '255.255.255.0',
        startip: '172.31.0.10',
        endip: '172.31.0.20',
        forvirtualnetwork: true,
      },
      431,
      'The VLAN tag 120 is already being used for dynamic vlan allocation for the guest network in zone Sandbox-simulator-advanced',
    );
    const outside = await admin('createNetwork', {
      ...params,
      name: 'sh2',
      gateway: '10.42.0.1',
      startip: '10.42.0.10',
      endip: '10.42.0.20',
      networkofferingid: shared,
      vlan: 2111,
    });
    assert.equal(outside.status, 200, JSON.stringify(outside.body));
    const range = await admin('createVlanIpRange', {
      networkid: outside.body.network.id,
      vlan: 2111,
      gateway: '10.43.0.1',
      netmask: '255.255.255.0',
      startip: '10.43.0.10',
      endip: '10.43.0.20',
      forvirtualnetwork: false,
    });
    assert.equal(range.status, 200, JSON.stringify(range.body));
  });
});
