import type { Db } from './db.js';
import type { RuleSpan } from '../domain/rule-conflicts.js';

const list = (s: string | null) => (s ? s.split(',').filter((c) => c !== '') : []);

/**
 * Every rule on a public address as the conflict check sees it: port forwarding, load
 * balancing, ingress firewall and static NAT rules, whichever table holds them.
 */
export async function ruleSpansOnIp(db: Db, ipId: string): Promise<RuleSpan[]> {
  const [pf, lb, fw] = await Promise.all([
    db.selectFrom('portForwardingRules').selectAll().where('publicIpId', '=', ipId).execute(),
    db.selectFrom('loadBalancerRules').selectAll().where('publicIpId', '=', ipId).execute(),
    db.selectFrom('firewallRules').selectAll().where('publicIpId', '=', ipId).execute(),
  ]);
  return [
    ...pf.map((r): RuleSpan => ({
      id: r.id,
      purpose: 'PortForwarding',
      protocol: r.protocol,
      startPort: r.publicPort,
      endPort: r.publicEndPort,
      networkId: r.networkId,
      cidrs: list(r.cidrList),
    })),
    ...lb.map((r): RuleSpan => ({
      id: r.id,
      purpose: 'LoadBalancing',
      protocol: r.protocol,
      startPort: r.publicPort,
      endPort: r.publicPort,
      networkId: r.networkId,
      cidrs: list(r.cidrList),
    })),
    ...fw.map((r): RuleSpan => ({
      // An address carries firewall, static NAT and VPN port rules only (IPv6 firewall rules belong to no address).
      id: r.id,
      purpose: r.purpose === 'StaticNat' || r.purpose === 'Vpn' ? r.purpose : 'Firewall',
      protocol: r.protocol,
      startPort: r.startPort,
      endPort: r.endPort,
      networkId: r.networkId,
      cidrs: list(r.cidrList),
      icmpType: r.icmpType,
      icmpCode: r.icmpCode,
    })),
  ];
}

/** Egress firewall rules of a network (not its IPv6 ones: listByNetworkPurposeTrafficType(Firewall)), for the same check. */
export async function egressSpans(db: Db, networkId: string): Promise<RuleSpan[]> {
  const rows = await db
    .selectFrom('firewallRules')
    .selectAll()
    .where('networkId', '=', networkId)
    .where('trafficType', '=', 'Egress')
    .where('purpose', '=', 'Firewall')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    purpose: 'Firewall',
    protocol: r.protocol,
    startPort: r.startPort,
    endPort: r.endPort,
    networkId: r.networkId,
    cidrs: list(r.cidrList),
    destCidrs: list(r.destCidrList),
    icmpType: r.icmpType,
    icmpCode: r.icmpCode,
  }));
}

/** Everything on a public address that is being released: forwarding, balancing, firewall, static NAT and VPN rules, and its VPN. */
export async function removeRulesOnIp(db: Db, ipId: string): Promise<void> {
  await db.deleteFrom('remoteAccessVpns').where('publicIpId', '=', ipId).execute();
  const pf = db.selectFrom('portForwardingRules').select('id').where('publicIpId', '=', ipId);
  const lb = db.selectFrom('loadBalancerRules').select('id').where('publicIpId', '=', ipId);
  const fw = db.selectFrom('firewallRules').select('id').where('publicIpId', '=', ipId);
  await db
    .deleteFrom('tags')
    .where((eb) => eb.or([eb('resourceId', 'in', pf), eb('resourceId', 'in', lb), eb('resourceId', 'in', fw)]))
    .execute();
  await db.deleteFrom('lbMembers').where('ruleId', 'in', lb).execute();
  await db.deleteFrom('portForwardingRules').where('publicIpId', '=', ipId).execute();
  await db.deleteFrom('loadBalancerRules').where('publicIpId', '=', ipId).execute();
  await db.deleteFrom('firewallRules').where('publicIpId', '=', ipId).execute();
}

/** Every rule and remote access VPN of a network, whichever address it is on (egress rules have none). */
export async function removeRulesOfNetwork(db: Db, networkId: string): Promise<void> {
  await db.deleteFrom('remoteAccessVpns').where('networkId', '=', networkId).execute();
  const pf = db.selectFrom('portForwardingRules').select('id').where('networkId', '=', networkId);
  const lb = db.selectFrom('loadBalancerRules').select('id').where('networkId', '=', networkId);
  const fw = db.selectFrom('firewallRules').select('id').where('networkId', '=', networkId);
  await db
    .deleteFrom('tags')
    .where((eb) => eb.or([eb('resourceId', 'in', pf), eb('resourceId', 'in', lb), eb('resourceId', 'in', fw)]))
    .execute();
  await db.deleteFrom('lbMembers').where('ruleId', 'in', lb).execute();
  await db.deleteFrom('portForwardingRules').where('networkId', '=', networkId).execute();
  await db.deleteFrom('loadBalancerRules').where('networkId', '=', networkId).execute();
  await db.deleteFrom('firewallRules').where('networkId', '=', networkId).execute();
}
