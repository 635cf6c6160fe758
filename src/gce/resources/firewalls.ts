import { isIpv4Cidr, isIpv6Cidr } from '../../domain/cidr.js';
import type { Firewall as FirewallBody } from '../compute.types.js';
import type { WireSecurityGroup, WireSecurityRule } from '../../cloudstack/wire.js';
import { cs, csCall, csJob, csList, memo, type GceContext } from '../context.js';
import { alreadyExists, invalidField, notFound, required, unsupported } from '../errors.js';
import { numericId, parseRef, rfc3339, slug } from '../ids.js';
import { list, listQuery } from '../lists.js';
import { replayed, startOperation } from '../operations.js';
import { LIST_QUERY, type Route } from '../route.js';
import { fieldsOf } from '../schemas.js';
import { checkName } from '../validate.js';
import type { CsParams } from '../../bridge/port.js';
import { aclFirewalls, insertAclFirewall, type AclFirewall } from './firewalls.acl.js';
import { allowedOf, type FirewallSpec } from './firewalls.spec.js';
import { retag } from './tagsync.js';
import { vpcNamed } from './vpcnets.js';

/**
 * Firewalls are CloudStack security groups, one group per firewall (gstack's mapping): each
 * `allowed` entry and port range becomes an ingress (or, for EGRESS, egress) rule over the
 * firewall's address ranges. What a security group cannot say is kept in its own CloudStack
 * resource tags (`gce.targetTags`, `gce.priority`), so every front and gateway sees the same.
 * An instance joins, when it is created, every group whose firewall targets all instances or one
 * of its network tags. Security groups exist in security-group zones only (the basic zone here).
 * A firewall of a custom network is its VPC's network ACL list instead (firewalls.acl.ts).
 */
const TARGET_TAGS = 'gce.targetTags';
const PRIORITY = 'gce.priority';

export const groups = (ctx: GceContext): Promise<WireSecurityGroup[]> =>
  memo(ctx, 'securitygroups', () => csList(ctx, 'listSecurityGroups', 'securitygroup', {}));

const tagOf = (g: WireSecurityGroup, key: string): string | undefined =>
  (g.tags ?? []).find((t) => t.key === key)?.value;
export const targetTagsOf = (g: WireSecurityGroup): string[] =>
  (tagOf(g, TARGET_TAGS) ?? '').split(',').filter(Boolean);

/** The security groups an instance with these network tags joins. */
export async function securityGroupsFor(ctx: GceContext, tags: string[]): Promise<string[]> {
  return (await groups(ctx))
    .filter((g) => targetTagsOf(g).length === 0 || targetTagsOf(g).some((t) => tags.includes(t)))
    .map((g) => g.id);
}

/** A rule's protocol and ports: a security group rule, or a network ACL item (whose ports are strings). */
export function firewallView(ctx: GceContext, g: WireSecurityGroup): Record<string, unknown> {
  // Rules whose source is another group (made through EC2 or CloudStack) have no firewall form; shown
  // beside address rules they would read as open from those addresses.
  const ingress = (g.ingressrule ?? []).filter((r: WireSecurityRule) => r.cidr);
  const egress = (g.egressrule ?? []).filter((r: WireSecurityRule) => r.cidr);
  const direction = !ingress.length && egress.length ? 'EGRESS' : 'INGRESS';
  const rules = direction === 'INGRESS' ? ingress : egress;
  const ranges = [...new Set(rules.map((r) => r.cidr).filter(Boolean))];
  const name = slug(g.name);
  return {
    kind: 'compute#firewall',
    id: numericId(g.id),
    creationTimestamp: rfc3339(0),
    name,
    description: g.description ?? '',
    network: ctx.links.global('networks', 'default'),
    priority: Number(tagOf(g, PRIORITY) ?? 1000),
    direction,
    ...(direction === 'INGRESS' ? { sourceRanges: ranges } : { destinationRanges: ranges }),
    targetTags: targetTagsOf(g),
    allowed: allowedOf(rules),
    disabled: false,
    logConfig: { enable: false },
    selfLink: ctx.links.global('firewalls', name),
  };
}

export async function groupNamed(ctx: GceContext, name: string): Promise<WireSecurityGroup> {
  const g = (await groups(ctx)).find((x) => slug(x.name) === name);
  if (!g) throw notFound(`projects/${ctx.project}/global/firewalls/${name}`);
  return g;
}

/** The CloudStack rules of one firewall: one per allowed entry and port range, over all its ranges. */
export function rulesOf(body: FirewallBody, direction: string): Record<string, unknown>[] {
  const allowed = body.allowed;
  if (!Array.isArray(allowed) || !allowed.length) throw required('resource.allowed');
  const rangesField = direction === 'INGRESS' ? 'sourceRanges' : 'destinationRanges';
  // Google's default when a rule names no source (or destination) at all: every address.
  if (body[rangesField] !== undefined && body[rangesField] !== null && !Array.isArray(body[rangesField]))
    throw invalidField(`resource.${rangesField}`, body[rangesField], 'Must be a list.');
  const ranges: unknown[] = body[rangesField]?.length ? body[rangesField] : ['0.0.0.0/0'];
  const cidrlist = ranges.map((r, i) => {
    // A bare address is one host: /32 for IPv4, /128 for IPv6 (a /32 there would be a whole provider's block).
    const cidr = typeof r !== 'string' ? '' : r.includes('/') ? r : `${r}/${r.includes(':') ? 128 : 32}`;
    if (!isIpv4Cidr(cidr) && !isIpv6Cidr(cidr))
      throw invalidField(`resource.${rangesField}[${i}]`, r, 'Must be an IP address or CIDR range.');
    return cidr;
  });
  const out: Record<string, unknown>[] = [];
  allowed.forEach((a, i) => {
    const raw = String(a?.IPProtocol ?? '').toLowerCase();
    const protocol = ({ '6': 'tcp', '17': 'udp', '1': 'icmp' } as Record<string, string>)[raw] ?? raw;
    if (!protocol) throw required(`resource.allowed[${i}].IPProtocol`);
    if (!['tcp', 'udp', 'icmp', 'all'].includes(protocol))
      throw invalidField(
        `resource.allowed[${i}].IPProtocol`,
        raw,
        "polystack's CloudStack rules take tcp, udp, icmp or all.",
      );
    const ports: string[] = a.ports ?? [];
    if (ports.length && protocol !== 'tcp' && protocol !== 'udp')
      throw invalidField(`resource.allowed[${i}].ports`, ports, 'Ports may only be specified for tcp and udp.');
    if (protocol === 'icmp') out.push({ protocol, icmptype: -1, icmpcode: -1, cidrlist });
    else if (protocol === 'all') out.push({ protocol, cidrlist });
    else if (!ports.length) out.push({ protocol, startport: 1, endport: 65535, cidrlist });
    for (const p of ports) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(String(p));
      const [start, end] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
      if (!(start >= 0 && end <= 65535 && start <= end))
        throw invalidField(
          `resource.allowed[${i}].ports`,
          p,
          "Ports must be a number or a range 'START-END' within 0-65535.",
        );
      // CloudStack reads the range 0-0 as all ports.
      if (start === 0 && end === 0) throw unsupported(`Port 0 alone (resource.allowed[${i}].ports)`);
      out.push({ protocol, startport: start, endport: end, cidrlist });
    }
  });
  return out;
}

export async function checkFirewall(ctx: GceContext, body: FirewallBody): Promise<FirewallSpec> {
  const name = checkName(body.name);
  const network = body.network ? parseRef(String(body.network)) : undefined;
  if (network?.project && network.project !== ctx.project)
    throw invalidField('resource.network', body.network, 'Cross project referencing is not allowed for this resource.');
  const vpc = network && network.name !== 'default' ? await vpcNamed(ctx, network.name) : undefined;
  const direction = body.direction ?? 'INGRESS';
  if (direction !== 'INGRESS' && direction !== 'EGRESS')
    throw invalidField('resource.direction', direction, 'Must be INGRESS or EGRESS.');
  const denied = Array.isArray(body.denied) && body.denied.length > 0;
  // A security group only allows; a VPC's ACL list can deny.
  if (denied && !vpc) throw unsupported('A deny rule (firewall.denied) on the default network');
  if (denied && body.allowed?.length)
    throw invalidField('resource.allowed', body.allowed, 'A firewall has either allowed or denied rules, not both.');
  // Each of these narrows a rule; dropped, the rule would apply wider than asked (sourceTags alone: to the world).
  if (body.sourceTags?.length || body.sourceServiceAccounts?.length || body.targetServiceAccounts?.length)
    throw unsupported('Matching sources or targets by tag or service account');
  if (body.disabled === true) throw unsupported('A disabled firewall (firewall.disabled)');
  const other = direction === 'INGRESS' ? 'destinationRanges' : 'sourceRanges';
  if (body[other]?.length) throw unsupported(`${other} on an ${direction} firewall`);
  const priority = body.priority === undefined ? 1000 : Number(body.priority);
  if (!Number.isInteger(priority) || priority < 0 || priority > 65535)
    throw invalidField('resource.priority', body.priority, 'Must be between 0 and 65535.');
  const targetTags: unknown = body.targetTags ?? [];
  if (!Array.isArray(targetTags)) throw invalidField('resource.targetTags', targetTags, 'Must be a list.');
  targetTags.forEach((t: unknown, i) => checkName(t, `resource.targetTags[${i}]`));
  const rules = rulesOf(denied ? { ...body, allowed: body.denied } : body, direction);
  return {
    name,
    description: typeof body.description === 'string' ? body.description : '',
    direction,
    priority,
    targetTags,
    vpc,
    action: denied ? 'Deny' : 'Allow',
    rules,
  };
}

/** Whether a firewall of that name exists in either form. */
export async function firewallExists(ctx: GceContext, name: string): Promise<boolean> {
  return (
    (await groups(ctx)).some((g) => slug(g.name) === name) || (await aclFirewalls(ctx)).some((f) => f.name === name)
  );
}

/** The tags that keep what a security group cannot say. */
export const groupTags = (f: FirewallSpec) => ({
  [TARGET_TAGS]: f.targetTags.length ? f.targetTags.join(',') : undefined,
  [PRIORITY]: f.priority !== 1000 ? String(f.priority) : undefined,
});

/** The authorize jobs of a security group's rules. */
export async function authorize(ctx: GceContext, groupId: string, f: FirewallSpec): Promise<string[]> {
  const command = f.direction === 'INGRESS' ? 'authorizeSecurityGroupIngress' : 'authorizeSecurityGroupEgress';
  const jobs: string[] = [];
  for (const r of f.rules) jobs.push((await csJob(ctx, command, { securitygroupid: groupId, ...r } as CsParams)).jobid);
  return jobs;
}

async function insert(ctx: GceContext, body: FirewallBody, requestId?: string): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const f = await checkFirewall(ctx, body);
  if (await firewallExists(ctx, f.name)) throw alreadyExists(`projects/${ctx.project}/global/firewalls/${f.name}`);
  if (f.vpc) return insertAclFirewall(ctx, f, requestId);
  const g = (await cs(ctx, 'createSecurityGroup', { name: f.name, description: f.description }))['securitygroup'];
  const jobs: string[] = [];
  try {
    jobs.push(...(await authorize(ctx, g.id, f)));
    jobs.push(...(await retag(ctx, 'SecurityGroup', g.id, [], groupTags(f))));
  } catch (e) {
    await csCall(ctx, 'deleteSecurityGroup', { id: g.id });
    throw e;
  }
  return startOperation(ctx, {
    type: 'insert',
    scope: 'global',
    location: 'global',
    targetLink: ctx.links.global('firewalls', f.name),
    targetId: numericId(g.id),
    jobs,
    followup: { failure: [{ command: 'deleteSecurityGroup', params: { id: g.id } }] },
    requestId,
  });
}

/** A firewall in either form: a security group (default network) or a VPC's ACL list (custom network). */
export type Firewall =
  | { sg: WireSecurityGroup; acl?: undefined; view: Record<string, unknown> }
  | { acl: AclFirewall; sg?: undefined; view: Record<string, unknown> };

export async function firewallNamed(ctx: GceContext, name: string): Promise<Firewall> {
  const g = (await groups(ctx)).find((x) => slug(x.name) === name || numericId(x.id) === name);
  if (g) return { sg: g, view: firewallView(ctx, g) };
  const a = (await aclFirewalls(ctx)).find((f) => f.name === name || f.view['id'] === name);
  if (a) return { acl: a, view: a.view };
  throw notFound(`projects/${ctx.project}/global/firewalls/${name}`);
}

export const firewallRoutes: Route[] = [
  {
    id: 'firewalls.list',
    method: 'GET',
    path: 'projects/{project}/global/firewalls',
    query: LIST_QUERY,
    response: 'FirewallList',
    description: 'Retrieves the list of firewall rules available to the specified project.',
    async run(ctx, req) {
      const items = [
        ...(await groups(ctx)).map((g) => firewallView(ctx, g)),
        ...(await aclFirewalls(ctx)).map((f) => f.view),
      ];
      return list(
        'compute#firewallList',
        ctx.links.global('firewalls'),
        `projects/${ctx.project}/global/firewalls`,
        items,
        listQuery(req.query),
        fieldsOf('Firewall'),
      );
    },
  },
  {
    id: 'firewalls.get',
    method: 'GET',
    path: 'projects/{project}/global/firewalls/{firewall}',
    response: 'Firewall',
    description: 'Returns the specified firewall.',
    async run(ctx, req) {
      return (await firewallNamed(ctx, req.params['firewall']!)).view;
    },
  },
  {
    id: 'firewalls.insert',
    method: 'POST',
    path: 'projects/{project}/global/firewalls',
    query: ['requestId'],
    request: 'Firewall',
    response: 'Operation',
    description: 'Creates a firewall rule in the specified project using the data included in the request.',
    run: (ctx, req) => insert(ctx, req.body ?? {}, req.query['requestId']),
  },
  {
    id: 'firewalls.delete',
    method: 'DELETE',
    path: 'projects/{project}/global/firewalls/{firewall}',
    query: ['requestId'],
    response: 'Operation',
    description: 'Deletes the specified firewall.',
    async run(ctx, req) {
      const again = await replayed(ctx, req.query['requestId']);
      if (again) return again;
      const f = await firewallNamed(ctx, req.params['firewall']!);
      const jobs = f.acl
        ? [(await csJob(ctx, 'deleteNetworkACLList', { id: f.acl.list.id })).jobid]
        : (await cs(ctx, 'deleteSecurityGroup', { id: f.sg.id }), []);
      return startOperation(ctx, {
        type: 'delete',
        scope: 'global',
        location: 'global',
        targetLink: String(f.view['selfLink']),
        targetId: String(f.view['id']),
        jobs,
        requestId: req.query['requestId'],
      });
    },
  },
];
