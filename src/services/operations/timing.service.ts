import { parseDuration } from '../../domain/duration.js';
import type { Store } from '../../store/db.js';
import { tagStore } from '../../store/tag.store.js';
import { vmStore } from '../../store/vm.store.js';
import type { VmRef } from '../../simulator/agent.js';
import type { ConfigService } from '../infrastructure/config.service.js';

/** The lifecycle transitions whose duration can be set. */
export type Transition =
  | 'deploy'
  | 'start'
  | 'stop'
  | 'reboot'
  | 'destroy'
  | 'migrate'
  | 'restore'
  | 'snapshot'
  | 'download'
  | 'volume'
  | 'template'
  | 'vmsnapshot';

/** Tag key on a VM or its template that sets a transition's duration, e.g. polystack:delay:start = 30s. */
export const DELAY_TAG_PREFIX = 'polystack:delay:';

/**
 * How long a simulated transition takes: a tag on the instance, else on its template, else on its
 * service offering, else
 * the global setting `polystack.delay.<transition>`, else `simulator.agent.delay.ms`.
 */
export class TimingService {
  constructor(
    private store: Store,
    private config: ConfigService,
    private fallbackMs: () => number,
  ) {}

  async delayFor(transition: Transition, vmId?: string, vm?: VmRef): Promise<number> {
    if (vmId) {
      const fromTags = await this.fromTags(transition, vmId, vm?.id === vmId ? vm : undefined);
      if (fromTags !== undefined) return fromTags;
    }
    const global = this.config.get(`polystack.delay.${transition}`);
    const g = global === undefined ? undefined : parseDuration(global);
    return g ?? this.fallbackMs();
  }

  /** The VM's own tag, else its template's, else its offering's: one read of the three. */
  private async fromTags(transition: Transition, vmId: string, known?: VmRef): Promise<number | undefined> {
    const key = `${DELAY_TAG_PREFIX}${transition}`;
    const vm = known ?? (await vmStore.getAny(this.store.db, vmId));
    const ids = vm ? [vmId, vm.templateId, vm.serviceOfferingId] : [vmId];
    const tags = await tagStore.byKeyOn(this.store.db, ids, key);
    // The template says more about what boots than the offering, so it is asked first.
    for (const id of ids) {
      const tag = tags.find((t) => t.resourceId === id);
      if (tag) return parseDuration(tag.value);
    }
    return undefined;
  }
}
