import type { Clock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import type { Account, VlanRange } from '../../domain/types.js';
import { accountStore } from '../../store/account.store.js';
import type { Db, Store } from '../../store/db.js';
import { ruleSpansOnIp } from '../../store/iprules.store.js';
import { vlanRangeStore } from '../../store/vlanrange.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { freePublicIp } from '../resources.js';
import { projectFor } from '../identity/scope.js';
import { zoneRows } from '../../store/datacenter.store.js';
import { vlanRangeRows } from '../../store/network.store.js';

export interface RangeOwnerRequest {
  account?: string;
  domainId?: string;
  projectId?: string;
}

/**
 * dedicatePublicIpRange / releasePublicIpRange (ConfigurationManagerImpl): a public range set aside
 * for one account or one domain: only its owner's associateIpAddress takes addresses from it.
 */
export class PublicRangeDedication {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  dedicate(caller: Caller, id: string, o: RangeOwnerRequest): Promise<VlanRange> {
    return this.store.tx(async (trx) => {
      const owner = await this.owner(trx, caller, o);
      const r = await vlanRangeStore.get(trx, id);
      if (!r) throw invalid(`Unable to find vlan by id ${id}`, 'id');
      if (r.ownerAccountId) throw invalid('Specified Public IP range has already been dedicated', 'id');
      if (r.ownerDomainId) throw invalid('Specified Public IP range has already been dedicated to a domain', 'id');
      const zone = await zoneRows.get(trx, r.zoneId);
      if (zone?.networkType === 'Basic')
        throw invalid('Public IP range can be dedicated to an account only in the zone of type Advanced', 'id');
      const ips = await vlanRangeStore.ipsOf(trx, id);
      for (const ip of ips) {
        if (r.forSystemVms) throw invalid(`${ip.address} Public IP address in range is dedicated to system vms `, 'id');
        if (!ip.accountId) continue;
        if (owner.account && ip.accountId !== owner.account.id)
          throw invalid(`${ip.address} Public IP address in range is allocated to another account `, 'id');
        const holder = await accountStore.accountById(trx, ip.accountId);
        if (!owner.account && holder?.domainId !== owner.domainId)
          throw invalid(`${ip.address} Public IP address in range is allocated to another domain/account `, 'id');
      }
      const patch = {
        ownerAccountId: owner.account?.id ?? null,
        ownerDomainId: owner.account?.domainId ?? owner.domainId,
      };
      await vlanRangeRows.update(trx, id, patch);
      await eventLog(trx, this.clock, {
        type: 'VLAN.IP.RANGE.DEDICATE',
        description: `Dedicated IP range ${r.startIp}-${r.endIp}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'VlanIpRange',
      });
      return { ...r, ...patch };
    });
  }

  /** The addresses nobody uses go back to the pool; those with source NAT, static NAT or rules stay with their account. */
  releaseRange(caller: Caller, id: string): Promise<void> {
    return this.store.tx(async (trx) => {
      const r = await vlanRangeStore.get(trx, id);
      if (!r) throw invalid('Please specify a valid IP range id.', 'id');
      if (!r.ownerAccountId && !r.ownerDomainId)
        throw invalid(`Can't release Public IP range ${id} as it not dedicated to any domain and any account`, 'id');
      const ips = await vlanRangeStore.ipsOf(trx, id);
      for (const ip of ips.filter((x) => x.accountId)) {
        if (!ip.isSourceNat && !ip.vmId && (await ruleSpansOnIp(trx, ip.id)).length === 0) await freePublicIp(trx, ip);
      }
      await vlanRangeRows.update(trx, id, { ownerAccountId: null, ownerDomainId: null });
      await eventLog(trx, this.clock, {
        type: 'VLAN.IP.RANGE.RELEASE',
        description: `Released IP range ${r.startIp}-${r.endIp}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'VlanIpRange',
      });
    });
  }

  private async owner(
    db: Db,
    caller: Caller,
    o: RangeOwnerRequest,
  ): Promise<{ account?: Account; domainId: string | null }> {
    if (o.projectId) {
      if (o.account) throw invalid('accountName and projectId are mutually exclusive', 'projectid');
      const p = await projectFor(db, caller, o.projectId);
      const account = await accountStore.accountById(db, p.projectAccountId);
      if (!account) throw invalid('Please specify a valid projectId', 'projectid');
      return { account, domainId: account.domainId };
    }
    if (o.account && o.domainId) {
      const account = await accountStore.accountByName(db, o.account, o.domainId);
      if (!account || account.removed) throw invalid(`Unable to find account by name ${o.account}`, 'account');
      if (account.type === 5 || account.name === 'system')
        throw invalid('Please specify a valid account. Cannot dedicate IP range to system account', 'account');
      return { account, domainId: account.domainId };
    }
    if (!o.domainId || !(await accountStore.domainById(db, o.domainId)))
      throw invalid('Please specify a valid domain id', 'domainid');
    return { domainId: o.domainId };
  }
}
