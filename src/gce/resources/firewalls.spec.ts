import type { WireVpc } from './vpcnets.js';

/** A firewall as asked for, checked: what both of its CloudStack forms (security group, ACL list) are made from. */
export interface FirewallSpec {
  name: string;
  description: string;
  direction: 'INGRESS' | 'EGRESS';
  priority: number;
  targetTags: string[];
  /** Set when the firewall's network is a custom network (a CloudStack VPC). */
  vpc?: WireVpc;
  action: 'Allow' | 'Deny';
  rules: Record<string, unknown>[];
}

export interface PortRule {
  protocol: string;
  startport?: number | string;
  endport?: number | string;
}

const FULL_RANGE = (r: PortRule) =>
  (Number(r.startport) <= 1 && Number(r.endport) >= 65535) || r.startport === undefined;

export function allowedOf(rules: PortRule[]): { IPProtocol: string; ports?: string[] }[] {
  const byProto = new Map<string, Set<string> | null>();
  for (const r of rules) {
    const proto = String(r.protocol).toLowerCase();
    const ports =
      proto === 'tcp' || proto === 'udp'
        ? FULL_RANGE(r)
          ? null
          : `${r.startport}${r.endport !== r.startport ? `-${r.endport}` : ''}`
        : null;
    const cur = byProto.has(proto) ? byProto.get(proto)! : new Set<string>();
    byProto.set(proto, ports === null || cur === null ? null : cur.add(ports));
  }
  return [...byProto].map(([IPProtocol, ports]) => ({ IPProtocol, ...(ports?.size ? { ports: [...ports] } : {}) }));
}
