import type { Clock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { GuestVlanDedication } from '../../domain/networking.js';
import type { Account, PhysicalNetwork } from '../../domain/types.js';
import { parseGuestVlanRange, storedVnets, vnetsOverlap, type VnetRange } from '../../domain/vnet.js';
import { accountStore } from '../../store/account.store.js';
import type { Db, Store } from '../../store/db.js';
import { guestVlanStore } from '../../store/guestvlan.store.js';
import { physicalNetworkStore as pnets } from '../../store/physicalnetwork.store.js';
import { projectStore } from '../../store/project.store.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

export const GUEST_VLAN_JOBS = { release: 'guestvlan.release' } as const;

export interface DedicateRequest {
  vlanRange: string;
  physicalNetworkId: string;
  account?: string;
  domainId?: string;
  projectId?: string;
}
export interface DedicationQuery {
  id?: string;
  account?: string;
  domainId?: string;
  projectId?: string;
  guestVlanRange?: string;
  physicalNetworkId?: string;
  zoneId?: string;
}

/**
 * dedicateGuestVlanRange / listDedicatedGuestVlanRanges / releaseDedicatedGuestVlanRange
 * (NetworkServiceImpl): a piece of a physical network's vnet range set aside for one account, whose
 * networks take their VLANs from it first while no other account's ever do.
 */
export class GuestVlanService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(GUEST_VLAN_JOBS.release, async ({ caller, params }) => {
      await this.release(caller, params.id);
      return { type: 'success' };
    });
  }

  submitRelease(caller: Caller, id: string, cmd: string): Promise<string> {
    return this.jobs.run(caller, { cmd, kind: GUEST_VLAN_JOBS.release, params: { id } });
  }

  dedicate(caller: Caller, r: DedicateRequest): Promise<GuestVlanDedication> {
    return this.store.tx(async (trx) => {
      const owner = await this.owner(trx, r);
      const pnet = await pnets.get(trx, r.physicalNetworkId);
      if (!pnet) throw invalid(`Unable to find physical network by id ${r.physicalNetworkId}`, 'physicalnetworkid');
      const methods = pnet.isolationMethods ? pnet.isolationMethods.split(',') : [];
      if (methods.length && !methods.includes('VLAN') && !methods.includes('VXLAN'))
        throw invalid(
          `Cannot dedicate guest vlan range. Physical isolation type of network ${pnet.id} is not VLAN nor VXLAN`,
          'physicalnetworkid',
        );
      const range = parseGuestVlanRange(r.vlanRange);
      if (typeof range === 'string') throw invalid(range, 'vlanrange');
      // CloudStack skips this check for a network without vnets and then fails marking them; the range is refused here instead.
      if (!storedVnets(pnet.vlan).some((x) => range.start <= range.end && range.start >= x.start && range.end <= x.end))
        throw invalid(`Unable to find guest vlan by range ${r.vlanRange}`, 'vlanrange');
      await this.checkAllocated(trx, pnet, owner, range);
      const existing = await guestVlanStore.dedications(trx, { physicalNetworkId: pnet.id });
      if (existing.some((d) => vnetsOverlap(range, { start: d.startVlan, end: d.endVlan })))
        throw invalid(`Vlan range is already dedicated. Cannot dedicate guest vlan range ${r.vlanRange}`, 'vlanrange');
      const d = await this.record(trx, owner, pnet, range, existing);
      await eventLog(trx, this.clock, {
        type: 'GUESTVLANRANGE.DEDICATE',
        description: `Dedicated guest vlan range ${d.startVlan}-${d.endVlan}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: d.id,
        resourceType: 'GuestVlanRange',
      });
      return d;
    });
  }

  /** The owner named by projectid or account and domainid (an active account); nothing else will do. */
  private async owner(db: Db, r: DedicateRequest): Promise<Account> {
    let owner: Account | undefined;
    if (r.projectId) {
      if (r.account) throw invalid('accountName and projectId are mutually exclusive', 'projectid');
      const project = await projectStore.get(db, r.projectId);
      if (!project) throw invalid(`Unable to find project by id ${r.projectId}`, 'projectid');
      owner = await accountStore.accountById(db, project.projectAccountId);
    }
    if (r.account && r.domainId) {
      const a = await accountStore.accountByName(db, r.account, r.domainId);
      owner = a && !a.removed ? a : undefined;
    }
    if (!owner) throw invalid(`Unable to find account by name ${r.account ?? null}`, 'account');
    return owner;
  }

  /** verifyDedicatedGuestVlansWithExistingDatacenterVlans: a VLAN of the range another account's network holds keeps it from being dedicated. */
  private async checkAllocated(db: Db, pnet: PhysicalNetwork, owner: Account, range: VnetRange): Promise<void> {
    for (const t of await guestVlanStore.taken(db, pnet.zoneId)) {
      if (t.vlan < range.start || t.vlan > range.end || t.accountId === owner.id) continue;
      throw invalid(
        `Guest vlan from this range ${t.vlan} is allocated to a different account. Can only dedicate a range which has no allocated vlans or has vlans allocated to the same account `,
        'vlanrange',
      );
    }
  }

  /**
   * A range next to one the same account already holds extends it (and one that closes the gap
   * between two of them joins them); otherwise it is a dedication of its own.
   */
  private async record(
    db: Db,
    owner: Account,
    pnet: PhysicalNetwork,
    range: VnetRange,
    existing: GuestVlanDedication[],
  ): Promise<GuestVlanDedication> {
    const sorted = [...existing].sort((a, b) => a.startVlan - b.startVlan);
    for (let i = 0; i < sorted.length; i++) {
      const d = sorted[i]!;
      if (range.end === d.startVlan - 1) {
        // Only the nearest dedication to the right is looked at, as CloudStack's loop stops there.
        if (d.accountId !== owner.id) break;
        await guestVlanStore.resizeDedication(db, d.id, range.start, d.endVlan);
        return { ...d, startVlan: range.start };
      }
      if (range.start === d.endVlan + 1 && d.accountId === owner.id) {
        const next = sorted[i + 1];
        const end = next && range.end === next.startVlan - 1 && next.accountId === owner.id ? next.endVlan : range.end;
        if (end !== range.end) await guestVlanStore.removeDedication(db, next!.id);
        await guestVlanStore.resizeDedication(db, d.id, d.startVlan, end);
        return { ...d, endVlan: end };
      }
    }
    const d: GuestVlanDedication = {
      id: newId(),
      physicalNetworkId: pnet.id,
      accountId: owner.id,
      startVlan: range.start,
      endVlan: range.end,
      created: this.clock.now(),
    };
    await guestVlanStore.insertDedication(db, d);
    return d;
  }

  /** listDedicatedGuestVlanRanges: by id, owner, exact range, physical network or zone. */
  async list(q: DedicationQuery): Promise<GuestVlanDedication[]> {
    const db = this.store.db;
    let accountId: string | undefined;
    if (q.account && q.domainId) {
      if (q.projectId) throw invalid("Account and projectId can't be specified together", 'projectid');
      const a = await accountStore.accountByName(db, q.account, q.domainId);
      if (!a || a.removed) throw invalid(`Unable to find account ${q.account}`, 'account');
      accountId = a.id;
    }
    if (q.projectId) {
      const project = await projectStore.get(db, q.projectId);
      if (!project) throw invalid(`Unable to find project by id ${q.projectId}`, 'projectid');
      accountId = project.projectAccountId;
    }
    let start: number | undefined;
    let end: number | undefined;
    if (q.guestVlanRange !== undefined) {
      // The range is matched as the stored text: anything but start-end matches nothing.
      const m = /^(\d+)-(\d+)$/.exec(q.guestVlanRange);
      if (!m) return [];
      [start, end] = [Number(m[1]), Number(m[2])];
    }
    return guestVlanStore.dedications(db, {
      id: q.id,
      accountId,
      physicalNetworkId: q.physicalNetworkId,
      zoneId: q.zoneId,
      start,
      end,
    });
  }

  get(id: string): Promise<GuestVlanDedication | undefined> {
    return guestVlanStore.dedication(this.store.db, id);
  }

  /** releaseDedicatedGuestVlanRange's job: the range's VLANs go back to the system pool. */
  private async release(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const d = await guestVlanStore.dedication(trx, id);
      if (!d) throw invalid("Dedicated guest vlan with specified id doesn't exist in the system", 'id');
      await guestVlanStore.removeDedication(trx, id);
      await eventLog(trx, this.clock, {
        type: 'GUESTVLANRANGE.RELEASE',
        description: `Released dedicated guest vlan range ${d.startVlan}-${d.endVlan}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: d.id,
        resourceType: 'GuestVlanRange',
      });
    });
  }
}
