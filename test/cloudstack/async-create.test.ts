// Async create commands answer {id, jobid} (issue 13, item 13): CloudStack's BaseAsyncCreateCmd makes
// the entity in create() before the job and answers its uuid with the job's; the job's result is it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ASYNC_CREATE_COMMANDS } from '../../src/cloudstack/cmdclass.js';
import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import { apiSpec } from '../../src/cloudstack/spec.js';
import { apiSession, finish, world, type Api, type World } from '../helpers/inprocess.js';

type Params = Record<string, string>;

describe('async create commands answer {id, jobid}', () => {
  let w: World;
  let api: Api;
  /** Valid parameters for each command of ASYNC_CREATE_COMMANDS; each may make what it needs first. */
  let recipes: Record<string, () => Promise<Params>>;

  const done = async (command: string, params: Params) => {
    const r = await api(command, params, 'POST');
    assert.equal(r.status, 200, `${command}: ${JSON.stringify(r.body)}`);
    if (!r.body.jobid) return r.body;
    await finish(w, r.body.jobid);
    const j = (await api('queryAsyncJobResult', { jobid: r.body.jobid })).body;
    assert.equal(j.jobstatus, 1, `${command}: ${JSON.stringify(j.jobresult)}`);
    return j.jobresult;
  };

  before(async () => {
    w = await world({ delayMs: 0 });
    api = await apiSession(w);
    const zone = w.zones.advanced;
    const netOffering = (
      await done('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' })
    ).networkoffering[0].id;
    const net = (
      await done('createNetwork', {
        zoneid: zone,
        name: 'ac-net',
        displaytext: 'ac-net',
        networkofferingid: netOffering,
      })
    ).network.id;
    const vm = (
      await done('deployVirtualMachine', {
        zoneid: zone,
        serviceofferingid: w.small,
        templateid: w.template,
        networkids: net,
      })
    ).virtualmachine.id;
    const rootVolume = (await done('listVolumes', { virtualmachineid: vm, type: 'ROOT' })).volume[0].id;
    const ip = async () => (await done('associateIpAddress', { networkid: net })).ipaddress.id as string;
    const vpc = async () => {
      const offering = (await done('listVPCOfferings', {})).vpcoffering[0].id;
      return (
        await done('createVPC', {
          zoneid: zone,
          name: 'ac-vpc',
          displaytext: 'ac-vpc',
          cidr: '10.9.0.0/16',
          vpcofferingid: offering,
        })
      ).vpc.id as string;
    };
    // A new zone is Disabled: physical networks are added to a zone before it is enabled.
    const newZone = (
      await done('createZone', { name: 'ac-zone', networktype: 'Advanced', dns1: '8.8.8.8', internaldns1: '8.8.4.4' })
    ).zone.id as string;
    let pnets = 0;
    const pnet = async () =>
      (await done('createPhysicalNetwork', { zoneid: newZone, name: `ac-pnet-${++pnets}` })).physicalnetwork
        .id as string;
    const diskOffering = ((await done('listDiskOfferings', {})).diskoffering as any[]).find((d) => !d.iscustomized).id;
    const osType = (await done('listOsTypes', {})).ostype[0].id;
    recipes = {
      deployVirtualMachine: async () => ({
        zoneid: zone,
        serviceofferingid: w.small,
        templateid: w.template,
        networkids: net,
      }),
      createVolume: async () => ({ name: 'ac-vol', zoneid: zone, diskofferingid: diskOffering }),
      createSnapshot: async () => ({ volumeid: rootVolume }),
      createVMSnapshot: async () => ({ virtualmachineid: vm }),
      createTemplate: async () => ({
        name: 'ac-tpl',
        displaytext: 'ac-tpl',
        ostypeid: osType,
        snapshotid: (await done('createSnapshot', { volumeid: rootVolume })).snapshot.id,
      }),
      associateIpAddress: async () => ({ networkid: net }),
      createPortForwardingRule: async () => ({
        ipaddressid: await ip(),
        virtualmachineid: vm,
        protocol: 'tcp',
        privateport: '22',
        publicport: '2222',
      }),
      createIpForwardingRule: async () => {
        const id = await ip();
        await done('enableStaticNat', { ipaddressid: id, virtualmachineid: vm });
        return { ipaddressid: id, protocol: 'tcp', startport: '80' };
      },
      createFirewallRule: async () => ({
        ipaddressid: await ip(),
        protocol: 'tcp',
        startport: '22',
        endport: '22',
        cidrlist: '0.0.0.0/0',
      }),
      createEgressFirewallRule: async () => ({ networkid: net, protocol: 'tcp', startport: '80', endport: '80' }),
      createLoadBalancerRule: async () => ({
        publicipid: await ip(),
        name: 'ac-lb',
        algorithm: 'roundrobin',
        privateport: '80',
        publicport: '80',
      }),
      createVPC: async () => ({
        zoneid: zone,
        name: 'ac-vpc2',
        displaytext: 'ac-vpc2',
        cidr: '10.8.0.0/16',
        vpcofferingid: (await done('listVPCOfferings', {})).vpcoffering[0].id,
      }),
      createNetworkACLList: async () => ({ name: 'ac-acl', vpcid: await vpc() }),
      createNetworkACL: async () => ({
        aclid: (await done('createNetworkACLList', { name: 'ac-acl2', vpcid: await vpc() })).networkacllist.id,
        protocol: 'tcp',
        startport: '22',
        endport: '22',
      }),
      createAffinityGroup: async () => ({ name: 'ac-ag', type: 'host anti-affinity' }),
      createPhysicalNetwork: async () => ({ zoneid: newZone, name: 'ac-pnet' }),
      addTrafficType: async () => ({ physicalnetworkid: await pnet(), traffictype: 'Guest' }),
      addNetworkServiceProvider: async () => ({ physicalnetworkid: await pnet(), name: 'Netscaler' }),
      createProject: async () => ({ name: 'ac-project', displaytext: 'ac-project' }),
      createPortableIpRange: async () => ({
        regionid: '1',
        startip: '10.77.0.10',
        endip: '10.77.0.12',
        gateway: '10.77.0.1',
        netmask: '255.255.255.0',
      }),
      createRemoteAccessVpn: async () => ({ publicipid: await ip() }),
      // A VPN user is applied to the account's VPNs: one on a network of its own, as an account has one VPN per network.
      addVpnUser: async () => {
        const vpnNet = (
          await done('createNetwork', {
            zoneid: zone,
            name: 'ac-vpn-net',
            displaytext: 'ac-vpn-net',
            networkofferingid: netOffering,
          })
        ).network.id;
        await done('createRemoteAccessVpn', {
          publicipid: (await done('associateIpAddress', { networkid: vpnNet })).ipaddress.id,
        });
        return { username: 'ac-vpn-user', password: 'ac-secret' };
      },
    };
  });
  after(() => w.close());

  it('the list is of async commands polystack serves, each with a recipe here', () => {
    for (const command of ASYNC_CREATE_COMMANDS) {
      assert.ok(COMMANDS.has(command.toLowerCase()), `${command} is not served`);
      assert.equal(apiSpec(command)?.isasync, true, `${command} is not async in 4.18`);
      assert.ok(recipes[command], `no recipe for ${command}`);
    }
  });

  for (const command of ASYNC_CREATE_COMMANDS) {
    it(`${command} answers {id, jobid}; id is the job result's id`, async () => {
      const r = await api(command, await recipes[command]!(), 'POST');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(Object.keys(r.body).sort(), ['id', 'jobid'], JSON.stringify(r.body));
      await finish(w, r.body.jobid);
      const j = (await api('queryAsyncJobResult', { jobid: r.body.jobid })).body;
      assert.equal(j.jobstatus, 1, JSON.stringify(j.jobresult));
      const [entity] = Object.values(j.jobresult as Record<string, { id: string }>);
      assert.equal(entity?.id, r.body.id, JSON.stringify(j.jobresult));
      assert.equal(j.jobinstanceid, r.body.id, 'the job names the entity it makes');
    });
  }
});
