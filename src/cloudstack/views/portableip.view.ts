import type { PortableIp, PortableIpRange } from '../../domain/networking.js';
import { csDate } from '../encode.js';

/** createPortableIPRangeResponse, and with listPortableIpRanges the range's addresses (createPortableIPResponse), when it has any. */
export function portableIpRangeView(r: PortableIpRange, ips?: PortableIp[]): Record<string, unknown> {
  const v: Record<string, unknown> = {
    id: r.id,
    regionid: Number(r.regionId),
    startip: r.startIp,
    endip: r.endIp,
    vlan: r.vlan,
    gateway: r.gateway,
    netmask: r.netmask,
  };
  if (ips?.length) v['portableipaddress'] = ips.map(portableIpView);
  return v;
}

function portableIpView(ip: PortableIp): Record<string, unknown> {
  const out: Record<string, unknown> = { ipaddress: ip.address, regionid: Number(ip.regionId), state: ip.state };
  if (ip.allocatedAccountId) out['accountid'] = ip.allocatedAccountId;
  if (ip.allocatedDomainId) out['domainid'] = ip.allocatedDomainId;
  if (ip.allocated !== null) out['allocated'] = csDate(ip.allocated);
  return out;
}
