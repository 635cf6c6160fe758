import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { created, jobFails, offering, refused, tenant } from '../helpers/networking.js';

/**
 * VM autoscaling on the fake clock: the group keeps its rule's members between min and max, and the
 * monitor, reading the simulated hosts' and router's figures, scales it up and down by its policies.
 */
describe('VM autoscaling', () => {
  let w: World;
  let admin: Api;
  let u: Api;
  let counters: Record<string, string>;
  let lbId: string;
  let netId: string;

  /** Moves the clock a second at a time, running what the monitor finds due and letting jobs catch up. */
  async function drive(seconds: number): Promise<void> {
    for (let i = 0; i < seconds; i++) {
      w.clock.advance(1000);
      await w.s.autoscale.monitor.tick();
      for (let k = 0; k < 3; k++) await new Promise((r) => setImmediate(r));
    }
  }
  /** Drives the clock until `cond` holds; the seconds it took. */
  async function driveUntil(cond: () => Promise<boolean>, max: number): Promise<number> {
    for (let t = 0; t <= max; t++) {
      if (await cond()) return t;
      await drive(1);
    }
    assert.fail(`not reached in ${max} s`);
  }
  const members = async (groupId: string) =>
    (await u('listVirtualMachines', { autoscalevmgroupid: groupId, listall: true })).body.virtualmachine ?? [];
  const group = async (id: string) => (await u('listAutoScaleVmGroups', { id })).body.autoscalevmgroup[0];
  const make = async (command: string, params: Record<string, string | number | boolean>) =>
    (await created(w, u, command, params)).id;

  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    u = await tenant(w, admin, 'scaler');
    const net = await u('createNetwork', {
      zoneid: w.zones.advanced,
      name: 'web',
      displaytext: 'web',
      networkofferingid: await offering(admin, 'DefaultIsolatedNetworkOfferingWithSourceNatService'),
    });
    netId = net.body.network.id;
    const ip = await runJob(w, u, 'associateIpAddress', { networkid: netId });
    lbId = (
      await runJob(w, u, 'createLoadBalancerRule', {
        publicipid: ip.jobresult.ipaddress.id,
        name: 'lb',
        algorithm: 'roundrobin',
        privateport: 80,
        publicport: 80,
      })
    ).jobresult.loadbalancer.id;
    counters = {};
    for (const c of (await u('listCounters', { provider: 'VirtualRouter' })).body.counter)
      counters[c.source === 'VIRTUALROUTER' ? c.value : c.source] = c.id;
  });
  after(() => w.close());

  it("lists 4.18's counters by provider and source", async () => {
    const all = (await u('listCounters', {})).body.counter;
    assert.equal(all.length, 16);
    const vr = (await u('listCounters', { provider: 'virtualrouter' })).body.counter;
    assert.deepEqual(
      vr.map((c: any) => c.source),
      ['CPU', 'MEMORY', 'VIRTUALROUTER', 'VIRTUALROUTER', 'VIRTUALROUTER'],
    );
    assert.equal((await u('listCounters', { source: 'cpu' })).body.counter.length, 3);
    await refused(
      w,
      u,
      'listCounters',
      { provider: 'nosuch' },
      431,
      'The Provider nosuch does not exist; Unable to list Counter',
    );
    assert.equal(
      (await u('createCounter', { name: 'x', source: 'cpu', provider: 'VirtualRouter', value: 'x' })).status,
      432,
      'counters are the admins',
    );
  });

  it('refuses conditions, policies and groups as CloudStack does', async () => {
    await refused(
      w,
      u,
      'createCondition',
      { counterid: counters['CPU']!, relationaloperator: 'XX', threshold: 1 },
      431,
      'The Operator XX does not exist; Unable to create Condition.',
    );
    await refused(
      w,
      u,
      'createCondition',
      { counterid: counters['CPU']!, relationaloperator: 'GE', threshold: -1 },
      431,
      'The threshold -1 must be equal to or greater than 0.',
    );
    const cpu = await make('createCondition', { counterid: counters['CPU']!, relationaloperator: 'ge', threshold: 1 });
    const cpu2 = await make('createCondition', {
      counterid: counters['CPU']!,
      relationaloperator: 'LE',
      threshold: 100,
    });
    await refused(
      w,
      u,
      'createAutoScalePolicy',
      { action: 'grow', conditionids: cpu, duration: 60 },
      431,
      'action is invalid. Supported actions are: [SCALEUP, SCALEDOWN]',
    );
    await refused(
      w,
      u,
      'createAutoScalePolicy',
      { action: 'ScaleUp', conditionids: `${cpu},${cpu2}`, duration: 60 },
      431,
      /two conditions in the conditionids have the same counter/,
    );
    const short = await make('createAutoScalePolicy', { action: 'ScaleUp', conditionids: cpu, duration: 10 });
    const down = await make('createAutoScalePolicy', { action: 'ScaleDown', conditionids: cpu2, duration: 60 });
    const profile = await make('createAutoScaleVmProfile', {
      zoneid: w.zones.advanced,
      serviceofferingid: w.small,
      templateid: w.template,
    });
    const base = {
      lbruleid: lbId,
      minmembers: 1,
      maxmembers: 2,
      scaleuppolicyids: short,
      scaledownpolicyids: down,
      vmprofileid: profile,
      name: 'g',
    };
    await refused(
      w,
      u,
      'createAutoScaleVmGroup',
      base,
      431,
      "duration : 10 specified in a policy cannot be less than vm group's interval : 30",
    );
    await refused(
      w,
      u,
      'createAutoScaleVmGroup',
      { ...base, scaleuppolicyids: down, scaledownpolicyids: down },
      431,
      'Only scaleup policies can be specified in scaleuppolicyids',
    );
    await refused(
      w,
      u,
      'createAutoScaleVmGroup',
      { ...base, interval: 5, minmembers: 3 },
      431,
      'minmembers (3)cannot be greater than maxmembers (2)',
    );
    await refused(
      w,
      u,
      'createAutoScaleVmGroup',
      { ...base, interval: 5, name: 'bad name' },
      431,
      /^Invalid AutoScale VM group name/,
    );
    await refused(
      w,
      u,
      'createAutoScaleVmProfile',
      {
        zoneid: w.zones.advanced,
        serviceofferingid: w.small,
        templateid: w.template,
        'otherdeployparams[0].name': 'hostid',
        'otherdeployparams[0].value': 'x',
      },
      431,
      /^Unsupported otherdeployparams key: hostid/,
    );
    await jobFails(
      w,
      u,
      'deleteCondition',
      { id: cpu },
      536,
      'Cannot delete Condition when it is in use by one or more AutoScale Policies.',
    );
  });

  it('scales a group up to its minimum, then up by its policy, and refuses what a live group refuses', async () => {
    const up = await make('createCondition', { counterid: counters['CPU']!, relationaloperator: 'GE', threshold: 1 });
    const keep = await make('createCondition', {
      counterid: counters['MEMORY']!,
      relationaloperator: 'LE',
      threshold: 100,
    });
    const upPolicy = await make('createAutoScalePolicy', {
      action: 'ScaleUp',
      conditionids: up,
      duration: 120,
      quiettime: 60,
    });
    const downPolicy = await make('createAutoScalePolicy', {
      action: 'ScaleDown',
      conditionids: keep,
      duration: 120,
      quiettime: 60,
    });
    const profile = await make('createAutoScaleVmProfile', {
      zoneid: w.zones.advanced,
      serviceofferingid: w.small,
      templateid: w.template,
      userdata: 'VGVzdA==',
      expungevmgraceperiod: 30,
      'otherdeployparams[0].name': 'rootdisksize',
      'otherdeployparams[0].value': 10,
    });
    const g = await created(w, u, 'createAutoScaleVmGroup', {
      lbruleid: lbId,
      minmembers: 1,
      maxmembers: 2,
      scaleuppolicyids: upPolicy,
      scaledownpolicyids: downPolicy,
      vmprofileid: profile,
      name: 'web-group',
      interval: 30,
    });
    const view = g.job.jobresult.autoscalevmgroup;
    assert.equal(view.state, 'ENABLED');
    assert.equal(view.scaleuppolicies[0].id, upPolicy);
    assert.equal(view.scaleuppolicies[0].conditions[0].counter[0].source, 'CPU');
    assert.equal(view.associatednetworkid, netId);
    assert.equal(view.lbprovider, 'VirtualRouter');
    assert.equal(view.privateport, '80');

    await drive(29);
    assert.equal((await members(g.id)).length, 0, 'the first monitor run is one interval after creation');
    await drive(10);
    const [first] = await members(g.id);
    assert.match(first.name, /^autoScaleVm-web-group-1-[a-z]{6}$/);
    assert.equal(first.autoscalevmgroupid, g.id);
    assert.equal(first.state, 'Running');
    assert.equal(
      (await u('listVirtualMachines', { id: first.id, userdata: true })).body.virtualmachine[0].userdata,
      'VGVzdA==',
    );
    const root = (await u('listVolumes', { virtualmachineid: first.id, type: 'ROOT' })).body.volume[0];
    assert.equal(root.size, 10 * 1024 ** 3);
    assert.deepEqual(
      (await u('listLoadBalancerRuleInstances', { id: lbId })).body.loadbalancerruleinstance.map((v: any) => v.id),
      [first.id],
    );
    assert.equal((await group(g.id)).availablevirtualmachinecount, 1);

    // CPU at 10 % holds for the scale-up policy once the new VM's dummy samples are out of its window.
    await drive(100);
    assert.equal((await members(g.id)).length, 1, 'no decision while the scale-up is inside its duration');
    await drive(150);
    const both = await members(g.id);
    assert.equal(both.length, 2);
    assert.match(both[1].name, /^autoScaleVm-web-group-2-/);
    const events = (await u('listEvents', { type: 'AUTOSCALEVMGROUP.SCALEUP' })).body.event ?? [];
    assert.ok(events.length >= 2);
    await drive(200);
    assert.equal((await members(g.id)).length, 2, 'never past maxmembers');

    await refused(
      w,
      admin,
      'stopVirtualMachine',
      { id: first.id },
      431,
      'Cannot perform actions on VM in an AutoScale VM group, Please disable the VM group and retry.',
    );
    await refused(
      w,
      u,
      'destroyVirtualMachine',
      { id: first.id },
      431,
      'Cannot perform actions on VM in an AutoScale VM group, Please disable the VM group and retry.',
    );
    await jobFails(
      w,
      u,
      'updateAutoScaleVmProfile',
      { id: profile, expungevmgraceperiod: 1 },
      431,
      'The AutoScale Vm Profile can be updated only if the Vm Group it is associated with is disabled in state',
    );
    await jobFails(
      w,
      u,
      'updateAutoScaleVmGroup',
      { id: g.id, maxmembers: 3 },
      431,
      'An AutoScale Vm Group can be updated with minMembers/maxMembers/Interval only when it is in disabled state',
    );
    await jobFails(
      w,
      u,
      'updateCondition',
      { id: up, relationaloperator: 'GT', threshold: 101 },
      536,
      /^Cannot update condition .* as it is being used in 1 vm groups NOT in Disabled state.$/,
    );
    await jobFails(
      w,
      u,
      'removeFromLoadBalancerRule',
      { id: lbId, virtualmachineids: first.id },
      431,
      'Cannot perform actions on VM in an AutoScale VM group, Please disable the VM group and retry.',
    );
    await jobFails(
      w,
      u,
      'deleteAutoScaleVmGroup',
      { id: g.id },
      431,
      `Cannot delete autoscale vm group id : ${g.id} because it is in ENABLED state. Please disable it or pass cleanup=true flag which will destroy all VMs.`,
    );

    // Scale down: the scale-up condition can no longer hold, and the router's traffic (a rate, from growing counters) always does.
    assert.equal(
      (await runJob(w, u, 'disableAutoScaleVmGroup', { id: g.id })).jobresult.autoscalevmgroup.state,
      'DISABLED',
    );
    assert.equal(
      (await runJob(w, u, 'updateCondition', { id: up, relationaloperator: 'GT', threshold: 101 })).jobstatus,
      1,
    );
    const received = await make('createCondition', {
      counterid: counters['public.network.received.average.mbps']!,
      relationaloperator: 'GE',
      threshold: 0,
    });
    const sessions = await make('createCondition', {
      counterid: counters['virtual.network.lb.average.connections']!,
      relationaloperator: 'GE',
      threshold: 0,
    });
    assert.equal(
      (await runJob(w, u, 'updateAutoScalePolicy', { id: downPolicy, conditionids: `${received},${sessions}` }))
        .jobstatus,
      1,
    );
    assert.equal(
      (await runJob(w, u, 'enableAutoScaleVmGroup', { id: g.id })).jobresult.autoscalevmgroup.state,
      'ENABLED',
    );
    await drive(120);
    assert.equal(
      (await members(g.id)).length,
      2,
      'the samples taken before the policy changed, and the enable, hold the decision back',
    );
    await driveUntil(async () => (await members(g.id)).length === 1, 120);
    const left = await members(g.id);
    assert.equal(left.length, 1, 'the newest member left the group and the rule');
    assert.equal(left[0].id, first.id);
    assert.deepEqual(
      (await u('listLoadBalancerRuleInstances', { id: lbId })).body.loadbalancerruleinstance.map((v: any) => v.id),
      [first.id],
    );
    const gone = both[1].id;
    assert.equal(
      (await u('listVirtualMachines', { id: gone })).body.virtualmachine?.[0]?.state,
      'Running',
      'it runs on for the grace period',
    );
    const grace = await driveUntil(
      async () => (await admin('listVirtualMachines', { id: gone, listall: true })).body.virtualmachine === undefined,
      60,
    );
    assert.ok(
      grace >= 29 && grace <= 32,
      `then, after the 30 s grace period (${grace} s), it is destroyed and expunged`,
    );
    await drive(300);
    assert.equal((await members(g.id)).length, 1, 'never below minmembers');

    assert.equal((await runJob(w, u, 'deleteAutoScaleVmGroup', { id: g.id, cleanup: true })).jobstatus, 1);
    assert.equal((await admin('listVirtualMachines', { id: first.id, listall: true })).body.virtualmachine, undefined);
    assert.equal((await u('listAutoScaleVmGroups', {})).body.autoscalevmgroup, undefined);
    assert.equal((await runJob(w, u, 'deleteAutoScaleVmProfile', { id: profile })).jobstatus, 1);
  });
});
