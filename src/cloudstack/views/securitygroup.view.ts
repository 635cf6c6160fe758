import type { Wire, WireSecurityGroup, WireSecurityRule } from '../wire.js';
import type { SecurityGroup, SecurityGroupRule } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { ownerFields } from './owner.view.js';
import { tagsView } from './tag.view.js';

export function ruleView(
  r: SecurityGroupRule,
  groups: Map<string, SecurityGroup>,
  accountNames: Map<string, { name: string }>,
): Wire<WireSecurityRule> {
  const v: Wire<WireSecurityRule> = { ruleid: r.id, protocol: r.protocol };
  if (r.startPort !== null) v['startport'] = r.startPort;
  if (r.endPort !== null) v['endport'] = r.endPort;
  if (r.icmpType !== null) v['icmptype'] = r.icmpType;
  if (r.icmpCode !== null) v['icmpcode'] = r.icmpCode;
  if (r.cidr) v['cidr'] = r.cidr;
  if (r.refGroupId) {
    const g = groups.get(r.refGroupId);
    if (g) {
      v['securitygroupname'] = g.name;
      v['account'] = accountNames.get(g.accountId)?.name;
    }
  }
  v['tags'] = [];
  return v;
}

/** A security group with its rules; `data` comes from Lookup.groups for all groups on the page. */
export async function securityGroupView(
  lk: Lookup,
  g: SecurityGroup,
  data: Awaited<ReturnType<Lookup['groups']>>,
  opts: { withMembers?: boolean } = {},
): Promise<Wire<WireSecurityGroup>> {
  const accounts = await lk.table('accounts');
  const rules = data.rules.get(g.id) ?? [];
  const refs = new Map(data.groups);
  const refIds = rules.map((r) => r.refGroupId).filter((x): x is string => !!x && !refs.has(x));
  if (refIds.length) for (const [k, v] of (await lk.groups(refIds)).groups) refs.set(k, v);
  const members = data.members.get(g.id) ?? [];
  const v: Wire<WireSecurityGroup> = {
    id: g.id,
    name: g.name,
    ...(g.description ? { description: g.description } : {}),
    ...(await ownerFields(lk, g.accountId, g.domainId)),
    ingressrule: rules.filter((r) => r.direction === 'ingress').map((r) => ruleView(r, refs, accounts)),
    egressrule: rules.filter((r) => r.direction === 'egress').map((r) => ruleView(r, refs, accounts)),
    tags: await tagsView(lk, data.tags.get(g.id)),
  };
  if (opts.withMembers !== false) {
    v['virtualmachinecount'] = members.length;
    v['virtualmachineids'] = members;
  }
  return v;
}
