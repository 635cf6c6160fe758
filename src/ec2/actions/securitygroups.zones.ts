import type { WireNetwork, WireSecurityRule, WireVm } from '../../cloudstack/wire.js';
import type { CsParams } from '../../bridge/port.js';
import { cs, csCall, csJob, csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';

/**
 * Security groups in zones without them (issue 17). CloudStack has security groups only in basic
 * zones and advanced zones made with them; an advanced zone without them has isolated networks
 * guarded by firewall rules (ingress, on the network's public addresses) and egress rules. EC2 has
 * groups everywhere, so in such a zone an instance's groups are remembered as a resource tag of
 * its VM, and the rules of every group of the VMs on an isolated network become that network's
 * firewall and egress rules (their union: a network has one firewall for all its VMs). The rules
 * made this way carry MANAGED_TAG, so they are told apart from a user's own and reconciled: made
 * when wanted, deleted when no longer wanted. Everything lives in CloudStack (tags, rules), so
 * every front and gateway sees the same groups.
 */
export const MEMBERSHIP_TAG = 'polystack:ec2.securitygroups';
const MANAGED_TAG = 'polystack:ec2.securitygroup-rule';

/** The CloudStack ids of the groups a VM in a zone without groups belongs to. */
export function mappedGroups(vm: { tags?: readonly { key?: string; value?: string }[] }): string[] {
  const t = (vm.tags ?? []).find((x) => x.key === MEMBERSHIP_TAG);
  return t?.value ? String(t.value).split(',') : [];
}

/** Writes a VM's groups (CloudStack ids) as its membership tag. */
export async function setMembership(ctx: Ec2Context, vmId: string, groupIds: string[]): Promise<void> {
  const r = await csCall(ctx, 'listTags', { resourceid: vmId, key: MEMBERSHIP_TAG, listall: true });
  if (r.body?.tag?.length)
    await csJob(ctx, 'deleteTags', { resourcetype: 'UserVm', resourceids: [vmId], tags: [{ key: MEMBERSHIP_TAG }] });
  if (groupIds.length)
    await csJob(ctx, 'createTags', {
      resourcetype: 'UserVm',
      resourceids: [vmId],
      tags: [{ key: MEMBERSHIP_TAG, value: groupIds.join(',') }],
    });
}

const GONE = new Set(['Destroyed', 'Expunging', 'Error']);

/** The live VMs the caller can see that hold mapped groups. */
async function members(ctx: Ec2Context, networkId?: string): Promise<WireVm[]> {
  const vms = await csList(ctx, 'listVirtualMachines', 'virtualmachine', {
    listall: true,
    ...(networkId ? { networkid: networkId } : {}),
  });
  return vms.filter((vm) => !GONE.has(vm.state) && mappedGroups(vm).length);
}

/** Live VMs holding the group: they keep it from being deleted, as instances do on EC2. */
export async function membersOf(ctx: Ec2Context, groupId: string): Promise<WireVm[]> {
  return (await members(ctx)).filter((vm) => mappedGroups(vm).includes(groupId));
}

/** The networks whose firewalls carry the group's rules. */
export async function networksOf(ctx: Ec2Context, groupId: string): Promise<string[]> {
  return [
    ...new Set((await membersOf(ctx, groupId)).flatMap((vm) => (vm.nic ?? []).map((n) => n.networkid as string))),
  ];
}

/** Whether a network can carry mapped groups: an isolated network outside a VPC, with a firewall. */
export function mappable(net: WireNetwork): boolean {
  return net.type === 'Isolated' && !net.vpcid && (net.service ?? []).some((s) => s.name === 'Firewall');
}

interface Want {
  protocol: string;
  startport?: number;
  endport?: number;
  icmptype?: number;
  icmpcode?: number;
  cidrs: string[];
}

/** tcp/udp ranges per source merged into disjoint ranges, then one rule per range with all its sources (CloudStack refuses overlapping rules for one source). */
function portRules(protocol: string, bySource: Map<string, [number, number][]>): Want[] {
  const byRange = new Map<string, Want>();
  for (const [cidr, ranges] of bySource) {
    const merged: [number, number][] = [];
    for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
      const last = merged[merged.length - 1];
      if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
      else merged.push([a, b]);
    }
    for (const [a, b] of merged) {
      const key = `${a}-${b}`;
      const w = byRange.get(key) ?? { protocol, startport: a, endport: b, cidrs: [] };
      w.cidrs.push(cidr);
      byRange.set(key, w);
    }
  }
  return [...byRange.values()];
}

/**
 * The firewall rules a set of security-group rules asks for. Only IPv4 address sources have a
 * firewall form (CloudStack's firewall takes IPv4 CIDRs; VMs on one isolated network reach each
 * other unfiltered, so a rule naming a group adds nothing there). `all` is tcp, udp and icmp in
 * full where the direction has no `all`; other protocol numbers have no firewall form.
 */
export function wantedRules(rules: readonly WireSecurityRule[], allProtocol: boolean): Want[] {
  const ports = { tcp: new Map<string, [number, number][]>(), udp: new Map<string, [number, number][]>() };
  const icmp = new Map<string, Want>();
  const all: string[] = [];
  const addPorts = (p: 'tcp' | 'udp', cidr: string, a: number, b: number) =>
    ports[p].set(cidr, [...(ports[p].get(cidr) ?? []), [a, b]]);
  const addIcmp = (cidr: string, type: number, code: number) => {
    const key = `${type}/${code}`;
    const w = icmp.get(key) ?? { protocol: 'icmp', icmptype: type, icmpcode: code, cidrs: [] };
    if (!w.cidrs.includes(cidr)) w.cidrs.push(cidr);
    icmp.set(key, w);
  };
  for (const r of rules) {
    const cidr = r.cidr as string | undefined;
    if (!cidr || cidr.includes(':')) continue;
    if (r.protocol === 'tcp' || r.protocol === 'udp')
      addPorts(r.protocol, cidr, Number(r.startport), Number(r.endport));
    else if (r.protocol === 'icmp') addIcmp(cidr, Number(r.icmptype ?? -1), Number(r.icmpcode ?? -1));
    else if (r.protocol === 'all' && allProtocol) {
      if (!all.includes(cidr)) all.push(cidr);
    } else if (r.protocol === 'all') {
      addPorts('tcp', cidr, 1, 65535);
      addPorts('udp', cidr, 1, 65535);
      addIcmp(cidr, -1, -1);
    }
  }
  return [
    ...portRules('tcp', ports.tcp),
    ...portRules('udp', ports.udp),
    ...icmp.values(),
    ...(all.length ? [{ protocol: 'all', cidrs: all }] : []),
  ];
}

const sig = (
  w: { protocol: string; startport?: number; endport?: number; icmptype?: number; icmpcode?: number },
  cidrs: string[],
) =>
  [
    w.protocol,
    w.startport ?? '',
    w.endport ?? '',
    w.icmptype ?? '',
    w.icmpcode ?? '',
    [...cidrs].sort().join(' '),
  ].join('|');

const portParams = (w: Want) => ({
  protocol: w.protocol,
  startport: w.startport,
  endport: w.endport,
  icmptype: w.icmptype,
  icmpcode: w.icmpcode,
});

/**
 * Makes one network's firewall and egress rules what its VMs' groups ask for. Rules a user made
 * through CloudStack are left alone; one of ours CloudStack refuses beside them (a clash) is skipped.
 */
export async function syncNetwork(ctx: Ec2Context, networkId: string, leaving: string[] = []): Promise<void> {
  const [net] = await csList(ctx, 'listNetworks', 'network', { id: networkId, listall: true });
  if (!net || !mappable(net)) return;
  // A VM being destroyed may not be Destroyed yet: `leaving` names those that no longer count.
  const vms = (await members(ctx, networkId)).filter((vm) => !leaving.includes(vm.id));
  const wanted = new Set(vms.flatMap((vm) => mappedGroups(vm)));
  const groups = (await csList(ctx, 'listSecurityGroups', 'securitygroup', { listall: true })).filter((g) =>
    wanted.has(g.id),
  );
  const ingress = wantedRules(
    groups.flatMap((g) => g.ingressrule ?? []),
    false,
  );
  const ips =
    net.state === 'Implemented' || net.state === 'Setup'
      ? await csList(ctx, 'listPublicIpAddresses', 'publicipaddress', { associatednetworkid: networkId, listall: true })
      : [];
  const tagged = { listall: true, networkid: networkId, tags: [{ key: MANAGED_TAG, value: 'true' }] };
  const haveIn = await csList(ctx, 'listFirewallRules', 'firewallrule', tagged);
  const wantIn = ips.flatMap((ip) =>
    ingress.map((w) => ({ w, ip: ip.id as string, key: `${ip.id}|${sig(w, w.cidrs)}` })),
  );
  await reconcile(
    ctx,
    haveIn.map((r) => ({
      id: r.id,
      key: `${r.ipaddressid}|${sig(r, r.cidrlist ? String(r.cidrlist).split(',') : [])}`,
    })),
    wantIn,
    'deleteFirewallRule',
    ({ w, ip }) => ({
      command: 'createFirewallRule',
      params: { ipaddressid: ip, ...portParams(w), cidrlist: w.cidrs },
    }),
  );
  // Egress rules allow only where the network's offering denies by default (CloudStack's default offerings do).
  const [offering] = await csList(ctx, 'listNetworkOfferings', 'networkoffering', { id: net.networkofferingid });
  const haveOut = await csList(ctx, 'listEgressFirewallRules', 'firewallrule', tagged);
  let wantOut: { w: Want; key: string }[] = [];
  if (offering && !offering.egressdefaultpolicy && groups.length) {
    // A group without egress rules sends anywhere (EC2's allow-all rule): the network must too.
    const open = groups.some((g) => !(g.egressrule ?? []).length);
    const egress = open
      ? [{ protocol: 'all', cidrs: ['0.0.0.0/0'] }]
      : wantedRules(
          groups.flatMap((g) => g.egressrule),
          true,
        );
    wantOut = egress.map((w) => ({ w, key: sig(w, w.cidrs) }));
  }
  await reconcile(
    ctx,
    haveOut.map((r) => ({ id: r.id, key: sig(r, r.destcidrlist ? String(r.destcidrlist).split(',') : []) })),
    wantOut,
    'deleteEgressFirewallRule',
    ({ w }) => ({
      command: 'createEgressFirewallRule',
      params: { networkid: networkId, ...portParams(w), destcidrlist: w.cidrs },
    }),
  );
}

async function reconcile<T extends { key: string }>(
  ctx: Ec2Context,
  have: { id: string; key: string }[],
  want: T[],
  remove: 'deleteFirewallRule' | 'deleteEgressFirewallRule',
  create: (w: T) => { command: 'createFirewallRule' | 'createEgressFirewallRule'; params: CsParams },
): Promise<void> {
  const wantedKeys = new Set(want.map((w) => w.key));
  for (const h of have) if (!wantedKeys.has(h.key)) await csJob(ctx, remove, { id: h.id });
  const haveKeys = new Set(have.map((h) => h.key));
  for (const w of want) {
    if (haveKeys.has(w.key)) continue;
    const { command, params } = create(w);
    const r = await csCall(ctx, command, params);
    // A clash with a rule made through CloudStack: that rule already decides this traffic.
    if (r.error) continue;
    if (!(await succeeded(ctx, r.body['jobid']))) continue;
    await csJob(ctx, 'createTags', {
      resourcetype: 'FirewallRule',
      resourceids: [r.body['id']],
      tags: [{ key: MANAGED_TAG, value: 'true' }],
    });
  }
}

async function succeeded(ctx: Ec2Context, jobid: string): Promise<boolean> {
  for (;;) {
    const j = await cs(ctx, 'queryAsyncJobResult', { jobid });
    if (j['jobstatus'] !== 0) return j['jobstatus'] === 1;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Syncs every network named (each once). */
export async function syncNetworks(
  ctx: Ec2Context,
  networkIds: Iterable<string>,
  leaving: string[] = [],
): Promise<void> {
  for (const id of new Set(networkIds)) await syncNetwork(ctx, id, leaving);
}

/** The CloudStack groups a launch names (SecurityGroupIds, SecurityGroups), InvalidGroup.NotFound for any missing. */
export async function launchGroups(
  ctx: Ec2Context,
  input: { SecurityGroupIds?: string[]; SecurityGroups?: string[] },
): Promise<string[]> {
  const all = await csList(ctx, 'listSecurityGroups', 'securitygroup');
  const out: string[] = [];
  for (const gid of input.SecurityGroupIds ?? []) {
    const id = await ctx.ids.cs('securityGroup', gid);
    if (!all.some((g) => g.id === id))
      throw ec2Error('InvalidGroup.NotFound', `The security group '${gid}' does not exist`);
    out.push(id);
  }
  for (const name of input.SecurityGroups ?? []) {
    const g = all.find((x) => x.name === name);
    if (!g) throw ec2Error('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC`);
    out.push(g.id);
  }
  return [...new Set(out)];
}

/** Waits (real time, bounded) for deploy jobs, so the networks they implement have their addresses. */
export async function settle(ctx: Ec2Context, jobIds: string[], ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  for (const jobid of jobIds) {
    while (Date.now() < until) {
      const j = await cs(ctx, 'queryAsyncJobResult', { jobid });
      if (j['jobstatus'] !== 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
