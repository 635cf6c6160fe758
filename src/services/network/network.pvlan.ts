import { invalid, runtimeFailure } from '../../domain/errors.js';
import type { PrivateVlan, PvlanType } from '../../domain/networking.js';
import type { NetworkOffering, Zone } from '../../domain/types.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';

export interface PvlanRequest {
  vlan?: string;
  isolatedPvlan?: string;
  isolatedPvlanType?: string;
  ip6Gateway?: string;
  ip6Cidr?: string;
}

/** PVlanType.fromValue: the name or its first letter, any case. */
function pvlanType(s: string): PvlanType {
  const t = s.toLowerCase();
  const found = (['promiscuous', 'community', 'isolated'] as const).find((x) => t === x || t === x[0]);
  if (!found) throw invalid(`Unexpected Private VLAN type: ${s}`, 'isolatedpvlantype');
  return found;
}

/**
 * NetworkServiceImpl.createGuestNetwork on isolatedpvlan / isolatedpvlantype: root admins only, on
 * an advanced zone's shared or L2 network, IPv4 only; then getPrivateVlanPair and
 * performBasicPrivateVlanChecks. Undefined for a network without a private VLAN.
 */
export function privateVlan(
  caller: Caller,
  zone: Zone,
  off: NetworkOffering,
  r: PvlanRequest,
): PrivateVlan | undefined {
  const blank = (x: string | undefined): x is undefined => x === undefined || x.trim() === '';
  if (!blank(r.isolatedPvlan)) {
    if (!isRootAdmin(caller))
      throw invalid('Only ROOT admin is allowed to create Private VLAN network', 'isolatedpvlan');
    if (zone.networkType !== 'Advanced' || off.guestIpType === 'Isolated')
      throw invalid(
        'Can only support create Private VLAN network with advanced shared or L2 network!',
        'isolatedpvlan',
      );
    if (!blank(r.ip6Gateway) && !blank(r.ip6Cidr))
      throw invalid('Can only support create Private VLAN network with IPv4!', 'ip6gateway');
  }
  const vlan = blank(r.vlan) ? undefined : r.vlan.replace(/^vlan:\/\//i, '');
  let secondary = blank(r.isolatedPvlan) ? undefined : r.isolatedPvlan;
  let type: PvlanType | undefined;
  if (!blank(r.isolatedPvlanType)) type = pvlanType(r.isolatedPvlanType);
  else if (vlan !== undefined && secondary !== undefined) type = vlan === secondary ? 'promiscuous' : 'isolated';
  if (secondary === undefined && type === 'promiscuous') secondary = vlan;
  // CloudStack parses it with Integer.parseInt and answers a CloudRuntimeException when it is not a number.
  if (secondary !== undefined && !/^[+-]?\d+$/.test(secondary))
    throw runtimeFailure(`The secondary VLAN ID: ${secondary} is not in numeric format`);
  if ((secondary !== undefined || type) && vlan === undefined)
    throw invalid('VLAN ID has to be set in order to configure a Private VLAN', 'vlan');
  if (vlan !== undefined && secondary === undefined && type && type !== 'promiscuous')
    throw invalid('Private VLAN ID has not been set, therefore Promiscuous type is expected', 'isolatedpvlantype');
  if (
    vlan !== undefined &&
    secondary !== undefined &&
    vlan.toLowerCase() !== secondary.toLowerCase() &&
    type === 'promiscuous'
  )
    throw invalid(
      'Private VLAN type is set to Promiscuous, but VLAN ID and Secondary VLAN ID differ',
      'isolatedpvlantype',
    );
  if (
    vlan !== undefined &&
    secondary !== undefined &&
    type &&
    type !== 'promiscuous' &&
    vlan.toLowerCase() === secondary.toLowerCase()
  )
    throw invalid(
      `Private VLAN type is set to ${type[0]!.toUpperCase()}${type.slice(1)}, but VLAN ID and Secondary VLAN ID are equal`,
      'isolatedpvlantype',
    );
  return secondary !== undefined && type ? { secondary, type } : undefined;
}
