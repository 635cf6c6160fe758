import type { Clock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import type { Network, PublicIp } from '../../domain/types.js';
import type { Db } from '../../store/db.js';
import { ruleSpansOnIp } from '../../store/iprules.store.js';
import { physicalNetworkStore as pnets } from '../../store/physicalnetwork.store.js';
import { portableIpStore } from '../../store/portableip.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { publicIpRows } from '../../store/network.store.js';

/** What enableStaticNat does to a portable address before binding it, run once every check has passed. */
export type PortableMove = (clock: Clock, caller: Caller) => Promise<void>;

/**
 * RulesManagerImpl.enableStaticNat on a portable address and a VM's network: an address associated
 * with no network joins it (and its VPC); one associated with another network is transferred
 * (IpAddressManagerImpl.transferPortableIP), across zones too, but only while nothing uses it there
 * (isPortableIpTransferableFromNetwork). Undefined when the address is that network's already.
 */
export async function portableMove(db: Db, ip: PublicIp, net: Network): Promise<PortableMove | undefined> {
  if (ip.networkId === net.id) return undefined;
  const from = ip.networkId;
  if (from && (ip.isSourceNat || ip.vmId || (await ruleSpansOnIp(db, ip.id)).length))
    throw invalid(
      `Portable IP: ${ip.id} has associated services in network ${from} so can not be transferred to  network ${net.id}`,
      'networkid',
    );
  return async (clock, caller) => {
    if (ip.zoneId !== net.zoneId) {
      // The stand-in range and address move to the destination zone's public physical network.
      const [pub] = await pnets.withTraffic(db, net.zoneId, 'Public');
      await portableIpStore.moveTwin(db, ip, net.zoneId, pub?.id ?? null);
    }
    await publicIpRows.update(db, ip.id, {
      networkId: net.id,
      vpcId: net.vpcId ?? (from ? null : (ip.vpcId ?? null)),
    });
    if (!from) return;
    await eventLog(db, clock, {
      type: 'PORTABLE.IP.TRANSFER',
      description: `Portable IP associated is transferred from network ${from} to ${net.id}`,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: ip.id,
      resourceType: 'PublicIpAddress',
    });
  };
}
