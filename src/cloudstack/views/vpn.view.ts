import type { RemoteAccessVpn, VpnUser } from '../../domain/vpn.js';
import type { Lookup } from '../../services/lookup.service.js';
import { ownerFields } from './owner.view.js';

/** ControlledEntityResponse's owner fields: account (or project) and domain, without ids or paths the response lacks. */
async function owner(lk: Lookup, accountId: string, domainId: string): Promise<Record<string, string>> {
  const { accountid: _id, domainpath: _path, ...rest } = await ownerFields(lk, accountId, domainId);
  return rest;
}

/** RemoteAccessVpnResponse: `iprange` is the clients' range (the server keeps its first address). */
export async function remoteAccessVpnView(lk: Lookup, v: RemoteAccessVpn): Promise<Record<string, unknown>> {
  const ip = (await lk.publicIps([v.publicIpId])).get(v.publicIpId);
  return {
    id: v.id,
    publicipid: v.publicIpId,
    publicip: ip?.address,
    iprange: v.ipRange,
    presharedkey: v.presharedKey,
    ...(await owner(lk, v.accountId, v.domainId)),
    state: v.state,
    fordisplay: v.forDisplay === 1,
  };
}

/**
 * VpnUsersResponse. `withState` false: addVpnUser builds its answer itself and sets no state
 * (AddVpnUserCmd.execute), listVpnUsers shows it.
 */
export async function vpnUserView(lk: Lookup, u: VpnUser, withState = true): Promise<Record<string, unknown>> {
  return {
    id: u.id,
    username: u.username,
    ...(withState ? { state: u.state } : {}),
    ...(await owner(lk, u.accountId, u.domainId)),
  };
}
