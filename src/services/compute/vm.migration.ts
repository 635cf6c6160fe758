import type { Clock } from '../../domain/clock.js';
import type { Host, Vm } from '../../domain/types.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import type { Db, Store } from '../../store/db.js';
import { hostStore } from '../../store/host.store.js';
import { vmStore, vmRows } from '../../store/vm.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

const MiB = 1024 * 1024;
export const vmDemand = (vm: Pick<Vm, 'cpuNumber' | 'cpuSpeed' | 'memory'>) => ({
  cpuMhz: vm.cpuNumber * vm.cpuSpeed,
  memoryBytes: vm.memory * MiB,
});

/**
 * Live migration of a running VM: the target's share is reserved and the VM marked Migrating in one
 * transaction, the agent runs MigrateCommand, then the source's share is released in another. A failed
 * command gives the target its share back and leaves the VM Running where it was.
 */
export async function migrateVm(
  deps: { store: Store; clock: Clock; agent: SimulatedAgent },
  caller: Caller,
  vmId: string,
  pick: (db: Db, vm: Vm) => Promise<Host>,
): Promise<{ vm: Vm; target: Host }> {
  const { store, clock, agent } = deps;
  const { vm, target } = await store.tx(async (trx) => {
    const v = (await vmStore.get(trx, vmId))!;
    const t = await pick(trx, v);
    const d = vmDemand(v);
    await hostStore.reserve(trx, t.id, d.cpuMhz, d.memoryBytes);
    await vmRows.update(trx, v.id, { state: 'Migrating', updated: clock.now() });
    return { vm: v, target: t };
  });
  const d = vmDemand(vm);
  try {
    await agent.send('MigrateCommand', target, { transition: 'migrate', vmId: vm.id });
  } catch (e) {
    await store.tx(async (trx) => {
      await hostStore.reserve(trx, target.id, -d.cpuMhz, -d.memoryBytes);
      await vmRows.update(trx, vm.id, { state: 'Running', updated: clock.now() });
    });
    throw e;
  }
  await store.tx(async (trx) => {
    await hostStore.reserve(trx, vm.hostId!, -d.cpuMhz, -d.memoryBytes);
    await vmRows.update(trx, vm.id, {
      state: 'Running',
      hostId: target.id,
      podId: target.podId,
      clusterId: target.clusterId,
      lastHostId: target.id,
      updated: clock.now(),
    });
    await eventLog(trx, clock, {
      type: 'VM.MIGRATE',
      description: `Migrated VM ${vm.name} to ${target.name}`,
      accountId: vm.accountId,
      domainId: vm.domainId,
      userId: caller.userId,
      resourceId: vm.id,
      resourceType: 'VirtualMachine',
    });
  });
  return { vm, target };
}
