import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { insertVms } from '../helpers/bulkvms.js';

/** listVirtualMachines `details` (ListVMsCmd.getDetails): each value adds its group of fields; min leaves them all out. */
let w: World;
let api: Api;

before(async () => {
  w = await world({ delayMs: 0 });
  api = await apiSession(w);
  await insertVms(w, 3);
});
after(() => w.close());

const first = async (params: Record<string, string>) => {
  const r = await api('listVirtualMachines', { listall: true, ...params });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.count, 3);
  return r.body.virtualmachine[0];
};

it('shows every group without details and with details=all', async () => {
  for (const vm of [await first({}), await first({ details: 'all' })]) {
    for (const k of [
      'templateid',
      'serviceofferingid',
      'cpunumber',
      'memory',
      'rootdeviceid',
      'nic',
      'securitygroup',
      'affinitygroup',
    ])
      assert.ok(k in vm, k);
  }
});

it('details=min keeps the identity, state, zone and tags and leaves out the groups', async () => {
  const vm = await first({ details: 'min' });
  assert.deepEqual([vm.name, vm.state, vm.zoneid], ['bulk-0', 'Stopped', w.zones.advanced]);
  assert.ok(Array.isArray(vm.tags));
  for (const k of [
    'templateid',
    'serviceofferingid',
    'cpunumber',
    'memory',
    'rootdeviceid',
    'nic',
    'securitygroup',
    'affinitygroup',
  ])
    assert.equal(vm[k], undefined, k);
});

it('details=servoff,nics shows those two groups (CPU and memory come with the offering)', async () => {
  const vm = await first({ details: 'servoff,nics' });
  assert.ok(vm.serviceofferingid && vm.cpunumber && Array.isArray(vm.nic));
  for (const k of ['templateid', 'securitygroup', 'rootdeviceid']) assert.equal(vm[k], undefined, k);
});

it('refuses a value that is not a VMDetails name with 431', async () => {
  const r = await api('listVirtualMachines', { details: 'min,everything' });
  assert.equal(r.status, 431);
  assert.match(
    r.body.errortext,
    /^The details parameter contains a non permitted value\. The allowed values are \[all, group, nics/,
  );
});
