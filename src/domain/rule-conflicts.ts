/**
 * CloudStack's FirewallManagerImpl.detectRulesConflict, for the rules on one public address (or,
 * for egress, on one network). Firewall rules only open ports, so they never clash with port
 * forwarding or load balancing on the same port; forwarding and balancing rules clash on any
 * overlapping range, except port-forwarding (or static NAT) pairs of different protocols.
 */
export type RulePurpose = 'Firewall' | 'PortForwarding' | 'LoadBalancing' | 'StaticNat' | 'Vpn';

export interface RuleSpan {
  id: string;
  purpose: RulePurpose;
  protocol: string;
  startPort: number | null;
  endPort: number | null;
  networkId: string;
  cidrs: string[];
  destCidrs?: string[];
  icmpType?: number | null;
  icmpCode?: number | null;
}

/** `conflict` is a NetworkRuleConflictException (537); `invalid` an InvalidParameterValueException. */
export interface RuleConflict {
  kind: 'conflict' | 'invalid';
  message: string;
}

const sameCidrs = (a: string[], b: string[]) => (a.length === 0 && b.length === 0) || a.some((c) => b.includes(c));
const overlap = (a: RuleSpan, b: RuleSpan) => a.startPort! <= b.endPort! && b.startPort! <= a.endPort!;

export function findConflict(rule: RuleSpan, existing: RuleSpan[], ipId: string | null): RuleConflict | undefined {
  const proto = rule.protocol.toLowerCase();
  for (const other of existing) {
    if (other.id === rule.id) continue;
    const sameProto = other.protocol.toLowerCase() === proto;
    const oneIsFirewall =
      (other.purpose === 'Firewall' || rule.purpose === 'Firewall') && (other.purpose !== rule.purpose || !sameProto);
    const bothFirewall = other.purpose === 'Firewall' && rule.purpose === 'Firewall';
    const bothPf = other.purpose === 'PortForwarding' && rule.purpose === 'PortForwarding';
    const dupCidrs =
      (bothFirewall && sameCidrs(other.cidrs, rule.cidrs) && sameCidrs(other.destCidrs ?? [], rule.destCidrs ?? [])) ||
      (bothPf && sameCidrs(other.cidrs, rule.cidrs));
    if (!oneIsFirewall) {
      if (other.purpose === 'StaticNat' && rule.purpose !== 'StaticNat')
        return conflict(`There is 1 to 1 Nat rule specified for the ip address id=${ipId}`);
      if (other.purpose !== 'StaticNat' && rule.purpose === 'StaticNat')
        return conflict(`There is already firewall rule specified for the ip address id=${ipId}`);
    }
    if (other.networkId !== rule.networkId)
      return conflict(`New rule is for a different network than what's specified in rule ${other.id}`);
    if (
      proto === 'icmp' &&
      sameProto &&
      (other.icmpType ?? -1) === (rule.icmpType ?? -1) &&
      (other.icmpCode ?? -1) === (rule.icmpCode ?? -1) &&
      dupCidrs
    )
      return { kind: 'invalid', message: `New rule conflicts with existing rule: ${other.id}` };
    const noPorts = rule.startPort === null && other.startPort === null;
    if (noPorts && dupCidrs && sameProto && proto !== 'icmp')
      return conflict(`There is already a firewall rule specified with protocol = ${rule.protocol} and no ports`);
    if (rule.startPort === null || other.startPort === null) continue;
    // A firewall rule beside a forwarding rule, or two rules for different sources, cannot clash.
    if (oneIsFirewall || ((bothFirewall || bothPf) && !dupCidrs) || !overlap(rule, other)) continue;
    // A VPN's UDP ports leave the same ports free for forwarding and balancing over another protocol.
    const vpnBeside = (a: RulePurpose, b: RulePurpose) =>
      (a === 'Vpn' && b === 'PortForwarding') || (b === 'Vpn' && (a === 'PortForwarding' || a === 'LoadBalancing'));
    const allowPf = (bothPf || vpnBeside(other.purpose, rule.purpose)) && !sameProto;
    const allowStaticNat = other.purpose === 'StaticNat' && rule.purpose === 'StaticNat' && !sameProto;
    if (!allowPf && !allowStaticNat)
      return conflict(
        `The range specified, ${rule.startPort}-${rule.endPort}, conflicts with rule ${other.id} which has ${other.startPort}-${other.endPort}`,
      );
  }
  return undefined;
}

const conflict = (message: string): RuleConflict => ({ kind: 'conflict', message });
