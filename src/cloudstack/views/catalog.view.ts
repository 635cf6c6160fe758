import type { Wire, WireOsType, WireZone } from '../wire.js';
import type { OsType, Zone } from '../../domain/types.js';
import { csDate } from '../encode.js';

export function zoneView(z: Zone, admin: boolean): Wire<WireZone> {
  const v: Wire<WireZone> = {
    id: z.id,
    name: z.name,
    dns1: z.dns1 ?? undefined,
    dns2: z.dns2 ?? undefined,
    networktype: z.networkType,
    securitygroupsenabled: !!z.securityGroupsEnabled,
    allocationstate: z.allocationState,
    zonetoken: undefined,
    dhcpprovider: 'VirtualRouter',
    localstorageenabled: !!z.localStorageEnabled,
    type: 'Core',
    tags: [],
    hasannotations: false,
  };
  if (z.description) v['description'] = z.description;
  if (admin) {
    if (z.internalDns1) v['internaldns1'] = z.internalDns1;
    if (z.internalDns2) v['internaldns2'] = z.internalDns2;
    if (z.guestCidr) v['guestcidraddress'] = z.guestCidr;
    if (z.guestVlanStart !== null) v['vlan'] = `${z.guestVlanStart}-${z.guestVlanEnd}`;
  } else if (z.guestCidr) v['guestcidraddress'] = z.guestCidr;
  if (z.networkDomain) v['domain'] = z.networkDomain;
  return v;
}

export function osTypeView(o: OsType): Wire<WireOsType> {
  return {
    id: o.id,
    name: o.description,
    description: o.description,
    oscategoryid: o.categoryId,
    oscategoryname: o.categoryName,
    isuserdefined: false,
    fordisplay: true,
  };
}
