import type { GuestIpv6Prefix } from '../../domain/networking.js';
import type { PrefixUsage } from '../../services/network/ipv6.service.js';
import { csDate } from '../encode.js';

/** DataCenterGuestIpv6PrefixResponse: the prefix, and how many of its /64s networks hold. */
export function guestIpv6PrefixView(p: GuestIpv6Prefix, u: PrefixUsage): Record<string, unknown> {
  return {
    id: p.id,
    prefix: p.prefix,
    zoneid: p.zoneId,
    usedsubnets: u.used,
    availablesubnets: u.total - u.used,
    totalsubnets: u.total,
    created: csDate(p.created),
  };
}
