import type { CsParams } from '../../bridge/port.js';
import type { WireAclItem } from '../../cloudstack/wire.js';
import { csJob, csList, memo, type GceContext } from '../context.js';
import { numericId, rfc3339, slug } from '../ids.js';
import { startOperation } from '../operations.js';
import { allowedOf, type FirewallSpec } from './firewalls.spec.js';
import { jobDone, networkName, vpcList, type WireVpc } from './vpcnets.js';

/**
 * Firewalls of a custom network. A CloudStack VPC guards its tiers with network ACL lists, not
 * security groups, so such a firewall is an ACL list of the network's VPC, named after it: one
 * item per allowed (or denied: ACL items can deny) protocol and port range, over the firewall's
 * ranges, numbered in order. Priority and target tags ride in each item's `reason`, where every
 * front and gateway reads them. A tier takes exactly one ACL list while a GCE network applies all
 * its firewalls to each instance by tag, so the lists are recorded, not assigned to tiers: they
 * narrow nothing and open nothing (GAPS.md).
 */
export interface AclFirewall {
  name: string;
  vpc: WireVpc;
  list: { id: string; name: string; description?: string };
  items: WireAclItem[];
  view: Record<string, unknown>;
}

const META = /gce\.priority=(\d+)(?: gce\.targetTags=(\S*))?/;
const reasonOf = (f: FirewallSpec) =>
  `gce.priority=${f.priority}${f.targetTags.length ? ` gce.targetTags=${f.targetTags.join(',')}` : ''}`;

function aclView(ctx: GceContext, vpc: WireVpc, l: AclFirewall['list'], items: WireAclItem[]): Record<string, unknown> {
  const name = slug(l.name);
  const meta = META.exec(String(items[0]?.reason ?? '')) ?? [];
  const egress = items.length > 0 && items.every((i) => i.traffictype === 'Egress');
  const ranges = [
    ...new Set(
      items.flatMap((i) =>
        String(i.cidrlist ?? '')
          .split(',')
          .filter(Boolean),
      ),
    ),
  ];
  const rules = items.map((i) => ({
    protocol: i.protocol,
    startport: i.startport === undefined ? undefined : Number(i.startport),
    endport: i.endport === undefined ? undefined : Number(i.endport),
  }));
  const deny = items.some((i) => i.action === 'Deny');
  return {
    kind: 'compute#firewall',
    id: numericId(l.id),
    creationTimestamp: rfc3339(0),
    name,
    description: l.description && l.description !== l.name ? l.description : '',
    network: ctx.links.global('networks', networkName(vpc)),
    priority: Number(meta[1] ?? 1000),
    direction: egress ? 'EGRESS' : 'INGRESS',
    ...(egress ? { destinationRanges: ranges } : { sourceRanges: ranges }),
    targetTags: (meta[2] ?? '').split(',').filter(Boolean),
    ...(deny ? { denied: allowedOf(rules) } : { allowed: allowedOf(rules) }),
    disabled: false,
    logConfig: { enable: false },
    selfLink: ctx.links.global('firewalls', name),
  };
}

/** Every ACL-list firewall of the project's custom networks (built-in lists, without a VPC, are not firewalls). */
export const aclFirewalls = (ctx: GceContext): Promise<AclFirewall[]> =>
  memo(ctx, 'aclfirewalls', async () => {
    const out: AclFirewall[] = [];
    for (const vpc of await vpcList(ctx)) {
      for (const l of await csList(ctx, 'listNetworkACLLists', 'networkacllist', { vpcid: vpc.id })) {
        if (!l.vpcid) continue;
        const items = (await csList(ctx, 'listNetworkACLs', 'networkacl', { aclid: l.id })).sort(
          (a, b) => Number(a.number) - Number(b.number),
        );
        out.push({ name: slug(l.name), vpc, list: l, items, view: aclView(ctx, vpc, l, items) });
      }
    }
    return out;
  });

export async function aclFirewallsOf(ctx: GceContext, vpc: WireVpc): Promise<string[]> {
  return (await aclFirewalls(ctx)).filter((f) => f.vpc.id === vpc.id).map((f) => f.name);
}

/** The createNetworkACL jobs for a firewall's rules. */
export async function aclItems(ctx: GceContext, aclid: string, f: FirewallSpec): Promise<string[]> {
  const jobs: string[] = [];
  for (const [i, r] of f.rules.entries()) {
    jobs.push(
      (
        await csJob(ctx, 'createNetworkACL', {
          aclid,
          ...r,
          traffictype: f.direction === 'INGRESS' ? 'Ingress' : 'Egress',
          action: f.action,
          number: i + 1,
          reason: reasonOf(f),
        } as CsParams)
      ).jobid,
    );
  }
  return jobs;
}

export async function insertAclFirewall(ctx: GceContext, f: FirewallSpec, requestId?: string): Promise<unknown> {
  const vpc = f.vpc!;
  const created = await csJob(ctx, 'createNetworkACLList', {
    name: f.name,
    description: f.description || f.name,
    vpcid: vpc.id,
  });
  const listId = created.id!;
  const jobs = [created.jobid];
  try {
    // Items need their list to exist.
    await jobDone(ctx, created.jobid);
    jobs.push(...(await aclItems(ctx, listId, f)));
  } catch (e) {
    await csJob(ctx, 'deleteNetworkACLList', { id: listId }).catch(() => undefined);
    throw e;
  }
  return startOperation(ctx, {
    type: 'insert',
    scope: 'global',
    location: 'global',
    targetLink: ctx.links.global('firewalls', f.name),
    targetId: numericId(listId),
    jobs,
    followup: { failure: [{ command: 'deleteNetworkACLList', params: { id: listId } }] },
    requestId,
  });
}

/** Replaces an ACL-list firewall's items with the new rules (patch, update). */
export async function replaceAclItems(ctx: GceContext, fw: AclFirewall, f: FirewallSpec): Promise<string[]> {
  for (const i of fw.items) await jobDone(ctx, (await csJob(ctx, 'deleteNetworkACL', { id: i.id })).jobid);
  return aclItems(ctx, fw.list.id, f);
}
