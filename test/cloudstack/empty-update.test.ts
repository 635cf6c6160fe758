// Every update* command with only its id answers the object unchanged (issue 13, item 11): CloudStack
// saves nothing new and returns the entity; polystack used to send an UPDATE with an empty SET.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import { ID_ENTITIES } from '../../src/cloudstack/entities.js';
import { apiSpec } from '../../src/cloudstack/spec.js';
import { ENTITY_TABLES, type EntityKind } from '../../src/store/entity.store.js';
import { apiSession, finish, world, type Api, type World } from '../helpers/inprocess.js';

/**
 * The implemented update* commands that take an `id` and need nothing else, from the command table
 * (updateImageStore requires `readonly`, updateAnnotationVisibility `adminsonly`: neither can be called with the id alone).
 */
// updateBackupOffering with nothing to change is refused by CloudStack itself (BackupManagerImpl: "Can't update
// Backup Offering [id: …] because there is no change in name, description or allowUserDrivenBackups.").
const REFUSE_NO_CHANGE = new Set(['updateBackupOffering']);
const UPDATES = [...COMMANDS.values()]
  .map((d) => d.name)
  .filter((n) => !REFUSE_NO_CHANGE.has(n))
  .filter(
    (n) =>
      n.startsWith('update') &&
      apiSpec(n)!.params.some((p) => p.name === 'id') &&
      apiSpec(n)!.params.every((p) => p.name === 'id' || !p.required),
  );

/** The list command that shows an entity kind, from the same id table (listVirtualMachines for VirtualMachine, …). */
function listCommand(kind: EntityKind, command: string): string | undefined {
  if (kind === 'Template') return command.includes('Iso') ? 'listIsos' : 'listTemplates';
  return Object.keys(ID_ENTITIES).find(
    (c) => c.startsWith('list') && ID_ENTITIES[c] === kind && COMMANDS.has(c.toLowerCase()),
  );
}

describe('update* with only the id answers the object unchanged', () => {
  let w: World;
  let api: Api;
  /** An entity of each kind the update commands name, made or found so that an update is allowed on it. */
  const fixtures = new Map<EntityKind, (command: string) => string>();

  const ok = async (command: string, params: Record<string, string>) => {
    const r = await api(command, params, 'POST');
    assert.equal(r.status, 200, `${command}: ${JSON.stringify(r.body)}`);
    if (r.body.jobid) {
      await finish(w, r.body.jobid);
      const j = (await api('queryAsyncJobResult', { jobid: r.body.jobid })).body;
      assert.equal(j.jobstatus, 1, `${command}: ${JSON.stringify(j.jobresult)}`);
      return { ...r.body, ...j.jobresult };
    }
    return r.body;
  };

  before(async () => {
    w = await world({ delayMs: 0 });
    api = await apiSession(w);
    const zone = w.zones.advanced;
    const offering = (await ok('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' }))
      .networkoffering[0].id;
    const net = (
      await ok('createNetwork', { zoneid: zone, name: 'upd-net', displaytext: 'upd-net', networkofferingid: offering })
    ).network.id;
    // Stopped: updateVMAffinityGroup changes a stopped VM only (AffinityGroupServiceImpl).
    const vm = (
      await ok('deployVirtualMachine', {
        zoneid: zone,
        serviceofferingid: w.small,
        templateid: w.template,
        networkids: net,
        startvm: 'false',
      })
    ).id;
    const ip = (await ok('associateIpAddress', { networkid: net })).ipaddress.id;
    const lb = (
      await ok('createLoadBalancerRule', {
        publicipid: ip,
        name: 'upd-lb',
        algorithm: 'roundrobin',
        privateport: '80',
        publicport: '80',
      })
    ).loadbalancer.id;
    const group = (await ok('createInstanceGroup', { name: 'upd-group' })).instancegroup.id;
    const vpcOffering = (await ok('listVPCOfferings', {})).vpcoffering[0].id;
    const vpc = (
      await ok('createVPC', {
        zoneid: zone,
        name: 'upd-vpc',
        displaytext: 'upd-vpc',
        cidr: '10.9.0.0/16',
        vpcofferingid: vpcOffering,
      })
    ).vpc.id;
    const aclList = (await ok('createNetworkACLList', { name: 'upd-acl', vpcid: vpc })).id as string;
    const aclItem = (await ok('createNetworkACL', { aclid: aclList, protocol: 'tcp', startport: '22' })).id as string;
    const domain = (await ok('createDomain', { name: 'upd-domain' })).domain.id;
    const account = (
      await ok('createAccount', {
        account: 'upd-account',
        username: 'upd-user',
        password: 'pw',
        email: 'u@x',
        firstname: 'u',
        lastname: 'u',
        accounttype: '0',
      })
    ).account;
    const role = (await ok('createRole', { name: 'upd-role', type: 'User' })).role.id;
    const project = (await ok('createProject', { name: 'upd-project', displaytext: 'upd-project' })).project.id;
    const iso = (await ok('listIsos', { isofilter: 'all' })).iso[0].id;
    const first = async (command: string, key: string, params: Record<string, string> = {}) =>
      (await ok(command, params))[key][0].id as string;
    const made: Partial<Record<EntityKind, string>> = {
      VirtualMachine: vm,
      InstanceGroup: group,
      Network: net,
      LoadBalancerRule: lb,
      Vpc: vpc,
      NetworkAclItem: aclItem,
      Domain: domain,
      Account: account.id,
      User: account.user[0].id,
      Role: role,
      Project: project,
      Region: '1',
      Zone: zone,
      Pod: await first('listPods', 'pod'),
      Cluster: await first('listClusters', 'cluster'),
      Host: await first('listHosts', 'host', { type: 'Routing' }),
      StoragePool: await first('listStoragePools', 'storagepool'),
      PhysicalNetwork: await first('listPhysicalNetworks', 'physicalnetwork'),
      ServiceOffering: w.small,
      DiskOffering: await first('listDiskOfferings', 'diskoffering'),
      NetworkOffering: offering,
      VpcOffering: vpcOffering,
      NetworkServiceProvider: await first('listNetworkServiceProviders', 'networkserviceprovider', {
        name: 'VirtualRouter',
      }),
    };
    // A snapshot policy on the VM's root volume; an IPv6 firewall rule on a dual-stack network; an autoscale
    // group (disabled, so that it and its profile and policies may change) on the load balancer rule.
    // A snapshot policy wants a Ready volume: the root of a VM that was started.
    const started = (
      await ok('deployVirtualMachine', {
        zoneid: zone,
        serviceofferingid: w.small,
        templateid: w.template,
        networkids: net,
      })
    ).id;
    const root = (await ok('listVolumes', { virtualmachineid: started, type: 'ROOT' })).volume[0].id;
    made.SnapshotPolicy = (
      await ok('createSnapshotPolicy', {
        volumeid: root,
        intervaltype: 'DAILY',
        schedule: '00:01',
        timezone: 'UTC',
        maxsnaps: '2',
      })
    ).snapshotpolicy.id;
    await ok('updateConfiguration', { name: 'ipv6.offering.enabled', value: 'true' });
    const svcs = ['Dhcp', 'Dns', 'SourceNat', 'Firewall', 'PortForwarding'];
    const providers = Object.fromEntries(
      svcs.flatMap((s, i) => [
        [`serviceproviderlist[${i}].service`, s],
        [`serviceproviderlist[${i}].provider`, 'VirtualRouter'],
      ]),
    );
    const dualStack = (
      await ok('createNetworkOffering', {
        name: 'upd-ds',
        displaytext: 'upd-ds',
        guestiptype: 'Isolated',
        traffictype: 'GUEST',
        supportedservices: svcs.join(','),
        ...providers,
        enable: 'true',
        internetprotocol: 'DualStack',
      })
    ).networkoffering.id;
    await ok('createGuestNetworkIpv6Prefix', { zoneid: zone, prefix: 'fd17:ac56:1234:1000::/52' });
    const net6 = (
      await ok('createNetwork', {
        zoneid: zone,
        name: 'upd-net6',
        displaytext: 'upd-net6',
        networkofferingid: dualStack,
      })
    ).network.id;
    made.FirewallRule = (
      await ok('createIpv6FirewallRule', { networkid: net6, protocol: 'tcp', startport: '22', endport: '22' })
    ).id;
    const cpu = (await ok('listCounters', { provider: 'VirtualRouter' })).counter.find(
      (c: { source: string }) => c.source === 'CPU',
    ).id;
    const up = (await ok('createCondition', { counterid: cpu, relationaloperator: 'GE', threshold: '90' })).id;
    const down = (await ok('createCondition', { counterid: cpu, relationaloperator: 'LE', threshold: '10' })).id;
    made.AutoScalePolicy = (
      await ok('createAutoScalePolicy', { action: 'ScaleUp', conditionids: up, duration: '60' })
    ).id;
    const downPolicy = (await ok('createAutoScalePolicy', { action: 'ScaleDown', conditionids: down, duration: '60' }))
      .id;
    made.AutoScaleVmProfile = (
      await ok('createAutoScaleVmProfile', { zoneid: zone, serviceofferingid: w.small, templateid: w.template })
    ).id;
    const asLb = (
      await ok('createLoadBalancerRule', {
        publicipid: (await ok('associateIpAddress', { networkid: net })).ipaddress.id,
        name: 'upd-as-lb',
        algorithm: 'roundrobin',
        privateport: '8080',
        publicport: '8080',
      })
    ).loadbalancer.id;
    made.AutoScaleVmGroup = (
      await ok('createAutoScaleVmGroup', {
        lbruleid: asLb,
        minmembers: '1',
        maxmembers: '1',
        scaleuppolicyids: made.AutoScalePolicy!,
        scaledownpolicyids: downPolicy,
        vmprofileid: made.AutoScaleVmProfile!,
        name: 'updgroup',
        interval: '30',
      })
    ).id;
    await ok('disableAutoScaleVmGroup', { id: made.AutoScaleVmGroup! });
    made.RemoteAccessVpn = (await ok('createRemoteAccessVpn', { publicipid: ip })).id;
    for (const [kind, id] of Object.entries(made)) fixtures.set(kind as EntityKind, () => id);
    fixtures.set('Template', (command) => (command.includes('Iso') ? iso : w.template));
  });
  after(() => w.close());

  it('covers every implemented update* command that takes an id', () => {
    assert.ok(UPDATES.length >= 20, UPDATES.join(' '));
    for (const command of UPDATES)
      assert.ok(ID_ENTITIES[command], `${command}: no entity kind for its id in src/cloudstack/entities.ts`);
  });

  for (const command of UPDATES) {
    it(command, async () => {
      const kind = ID_ENTITIES[command]!;
      const pick = fixtures.get(kind);
      assert.ok(pick, `no fixture for ${kind}: add one above`);
      const id = pick(command);
      const table = ENTITY_TABLES[kind];
      const row = () => (w.store.db as any).selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
      const list = listCommand(kind, command);
      const listed = async () => {
        const filter = kind === 'Template' ? { [list === 'listIsos' ? 'isofilter' : 'templatefilter']: 'all' } : {};
        const r = await ok(list!, { id, listall: 'true', ...filter });
        return Object.values(r).find(Array.isArray)?.[0];
      };
      const rowBefore = await row();
      const shownBefore = list ? await listed() : undefined;

      const answer = await ok(command, { id });

      assert.deepEqual(await row(), rowBefore, 'the stored row is unchanged');
      if (command.endsWith('Permissions')) {
        assert.equal(answer.success, true, JSON.stringify(answer));
        return;
      }
      const value = Object.values(answer).find(
        (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
      );
      assert.ok(value, `${command} answered no object: ${JSON.stringify(answer)}`);
      // A region's id is CloudStack's integer (RegionResponse.id), every other one a uuid.
      assert.equal(String(value.id), id);
      if (shownBefore) {
        assert.deepEqual(await listed(), shownBefore, 'the listed object is unchanged');
        // The answer is the object as listed (fields a list view leaves out aside).
        for (const [k, v] of Object.entries(value))
          if (k in shownBefore) assert.deepEqual(v, shownBefore[k], `${command} answered ${k} = ${JSON.stringify(v)}`);
      }
    });
  }
});
