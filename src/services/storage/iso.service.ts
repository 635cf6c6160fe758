import type { Clock } from '../../domain/clock.js';
import { runtimeFailure, invalid, notFound } from '../../domain/errors.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import type { Store } from '../../store/db.js';
import { templateStore } from '../../store/template.store.js';
import { vmStore, vmRows } from '../../store/vm.store.js';
import type { CatalogService } from '../infrastructure/catalog.service.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { runningHost } from './volume.jobs.js';

export const ISO_JOBS = { attach: 'iso.attach', detach: 'iso.detach' } as const;

const vmResult = (id: string): JobResult => ({ type: 'object', instanceType: 'VirtualMachine', id });

/** attachIso/detachIso: the VM's CD-ROM. A running VM's host is told; a stopped one only remembers. */
export class IsoService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private agent: SimulatedAgent,
    private catalog: CatalogService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ vmId: string; isoId: string }>(ISO_JOBS.attach, ({ caller, params: p }) =>
      this.attach(caller, p.vmId, p.isoId),
    );
    jobs.register<{ vmId: string }>(ISO_JOBS.detach, ({ caller, params: p }) => this.detach(caller, p.vmId));
  }

  async submit(caller: Caller, kind: 'attach' | 'detach', vmId: string, cmd: string, isoId?: string): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      const vm = await vmStore.get(trx, vmId);
      if (!vm) throw notFound('VirtualMachine', vmId, 'virtualmachineid');
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      if (isoId) {
        const iso = await templateStore.get(trx, isoId);
        if (!iso || !(await this.catalog.mayUse(trx, caller, iso))) throw notFound('Iso', isoId, 'id');
      }
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: ISO_JOBS[kind],
        params: { vmId, isoId },
        instanceType: 'VirtualMachine',
        instanceId: vmId,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  private async attach(caller: Caller, vmId: string, isoId: string): Promise<JobResult> {
    const vm = await vmStore.get(this.store.db, vmId);
    if (!vm) throw invalid(`Unable to find a virtual machine with id ${vmId}`, 'virtualmachineid');
    const iso = await templateStore.get(this.store.db, isoId);
    if (!iso) throw invalid(`Unable to find an ISO with id ${isoId}`, 'id');
    assertAccess(caller, vm, 'VirtualMachine', vm.id);
    if (!iso.isIso) throw invalid('Please specify a valid ISO.', 'id');
    if (vm.state !== 'Running' && vm.state !== 'Stopped')
      throw invalid('Please specify a VM that is either Stopped or Running.', 'virtualmachineid');
    const host = await runningHost(this.store.db, vm);
    if (host) {
      // A running VM mounts the ISO from its zone's image store (TemplateManagerImpl.prepareIso).
      const here = ((await this.catalog.placements(this.store.db, [iso])).get(iso.id) ?? []).filter(
        (z) => z.zoneId === null || z.zoneId === vm.zoneId,
      );
      if (!here.some((z) => z.downloadState === 'DOWNLOADED')) throw runtimeFailure('Failed to attach iso');
      await this.agent.send('AttachCommand', host, { transition: 'volume', vmId: vm.id }).catch(() => {
        throw runtimeFailure('Failed to attach iso');
      });
    }
    await this.store.tx(async (trx) => {
      await vmRows.update(trx, vm.id, { isoId: iso.id, updated: this.clock.now() });
      await eventLog(trx, this.clock, {
        type: 'ISO.ATTACH',
        description: `Attached ISO ${iso.name} to VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return vmResult(vm.id);
  }

  private async detach(caller: Caller, vmId: string): Promise<JobResult> {
    const vm = await vmStore.get(this.store.db, vmId);
    if (!vm) throw invalid(`Unable to find a virtual machine with id ${vmId}`, 'virtualmachineid');
    assertAccess(caller, vm, 'VirtualMachine', vm.id);
    if (!vm.isoId) throw invalid('The specified VM has no ISO attached to it.', 'virtualmachineid');
    if (vm.state !== 'Running' && vm.state !== 'Stopped')
      throw invalid('Please specify a VM that is either Stopped or Running.', 'virtualmachineid');
    const host = await runningHost(this.store.db, vm);
    if (host) {
      await this.agent.send('DettachCommand', host, { transition: 'volume', vmId: vm.id }).catch(() => {
        throw runtimeFailure('Failed to detach iso');
      });
    }
    await this.store.tx(async (trx) => {
      await vmRows.update(trx, vm.id, { isoId: null, updated: this.clock.now() });
      await eventLog(trx, this.clock, {
        type: 'ISO.DETACH',
        description: `Detached ISO from VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return vmResult(vm.id);
  }
}
