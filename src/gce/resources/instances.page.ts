import type { WireVmBrief, WireVolume } from '../../cloudstack/wire.js';
import { csList, type GceContext } from '../context.js';
import { GceError } from '../errors.js';
import { parsed } from '../filter.js';
import type { ListQuery } from '../lists.js';
import { statusOf } from '../states.js';
import type { Zone } from './geo.js';
import { instanceName, instanceView } from './instances.view.js';
import { loadNicNetworks } from './instances.network.js';
import { settingsFor } from '../store/compute.js';
import type { CsParams } from '../../bridge/port.js';
import { instancePushdown } from './instances.pushdown.js';

/**
 * instances.list one page at a time. Compute Engine orders by name; CloudStack cannot, so the zone's
 * VMs are first listed with `details=min` (name and state, none of the NICs, groups or offerings
 * the view needs), ordered here by name then id, and only the page is asked for in full with its
 * volumes and the front's records of those VMs only, and rendered. A filter's required name and
 * label terms narrow that listing in CloudStack (instances.pushdown.ts). The pageToken names the
 * last instance shown, not a position: instances created or deleted before it do not shift the
 * next page.
 */
type Item = Record<string, unknown>;

interface Entry {
  id: string;
  name: string;
}

/** Lists paged here: the default order and `orderBy=name`; `creationTimestamp desc` is ordered in memory. */
export const pagedByName = (orderBy: string | undefined): boolean =>
  !orderBy?.trim() || /^name( asc)?$/.test(orderBy.trim());

// Code-point order: for GCE names ([a-z0-9-]) it is the order localeCompare gives the other lists.
const compare = (a: Entry, b: Entry): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

const writeToken = (e: Entry): string => Buffer.from(`n${JSON.stringify([e.name, e.id])}`).toString('base64url');

function readToken(token: string | undefined): Entry | undefined {
  if (!token) return undefined;
  const text = Buffer.from(token, 'base64url').toString();
  try {
    const v: unknown = text.startsWith('n') ? JSON.parse(text.slice(1)) : undefined;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string')
      return { name: v[0], id: v[1] };
  } catch {
    // falls through to the refusal
  }
  throw new GceError(400, 'invalid', `Invalid value for field 'pageToken': '${token}'.`);
}

/** The zone's visible instances (those the pushed-down filter lets through) by name: one cheap listing. */
async function entries(ctx: GceContext, z: Zone, narrow: CsParams): Promise<Entry[]> {
  const vms: WireVmBrief[] = await csList(ctx, 'listVirtualMachines', 'virtualmachine', {
    ...narrow,
    zoneid: z.cs.id,
    details: 'min',
  });
  return vms
    .filter((vm) => statusOf(vm.state) !== undefined)
    .map((vm) => ({ id: String(vm.id), name: instanceName(vm) }))
    .sort(compare);
}

/** Index of the first entry after `after` (binary search: entries are sorted). */
function firstAfter(all: Entry[], after: Entry | undefined): number {
  if (!after) return 0;
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(all[mid]!, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Below this many VMs a chunk asks for each VM's volumes; above, for the zone's (one listing instead of many). */
const PER_VM_BELOW = 50;

async function volumesOf(ctx: GceContext, z: Zone, ids: string[]): Promise<Map<string, WireVolume[]>> {
  const vols =
    ids.length < PER_VM_BELOW
      ? (await Promise.all(ids.map((id) => csList(ctx, 'listVolumes', 'volume', { virtualmachineid: id })))).flat()
      : await csList(ctx, 'listVolumes', 'volume', { zoneid: z.cs.id });
  const wanted = new Set(ids);
  const out = new Map<string, WireVolume[]>();
  for (const v of vols)
    if (v.virtualmachineid && wanted.has(v.virtualmachineid))
      out.set(v.virtualmachineid, [...(out.get(v.virtualmachineid) ?? []), v]);
  return out;
}

/** The chunk's instances rendered, in the chunk's order; one that went away meanwhile is undefined. */
async function render(ctx: GceContext, z: Zone, chunk: Entry[]): Promise<(Item | undefined)[]> {
  const ids = chunk.map((e) => e.id);
  // The front's records of these VMs and their volumes only, not of the whole project.
  const [vms, vols, recs, settings] = await Promise.all([
    // What instanceView reads (NICs, offering name) and no more: no template, groups or statistics.
    csList(ctx, 'listVirtualMachines', 'virtualmachine', { zoneid: z.cs.id, ids, details: 'nics,servoff' }),
    volumesOf(ctx, z, ids),
    ctx.store.instancesOf(ids),
    settingsFor(ctx.store, ids),
  ]);
  const disks = await ctx.store.disksOf([...vols.values()].flat().map((v) => v.id));
  const byId = new Map(vms.map((vm) => [String(vm.id), vm]));
  return chunk.map((e) => {
    const vm = byId.get(e.id);
    return vm ? instanceView(ctx, vm, recs.get(vm.id), vols.get(vm.id) ?? [], disks, settings.get(vm.id)) : undefined;
  });
}

/**
 * One page: entries after the token, rendered a page's worth at a time until the filter has kept
 * `maxResults` (a filter matching few renders more chunks; with none, one chunk is the page).
 */
export async function instancePage(
  ctx: GceContext,
  z: Zone,
  q: ListQuery,
  token: string | undefined,
  fields: ReadonlySet<string>,
): Promise<{ items: Item[]; next?: string }> {
  const after = readToken(token);
  const filter = q.filter ? parsed(q.filter, fields) : undefined;
  const keep = filter?.pred;
  // The custom networks' tiers every rendered NIC is shown on, read while the names are listed.
  const [all] = await Promise.all([
    entries(ctx, z, filter ? instancePushdown(filter.required) : {}),
    loadNicNetworks(ctx),
  ]);
  const items: Item[] = [];
  let pos = firstAfter(all, after);
  while (pos < all.length && items.length < q.maxResults) {
    const chunk = all.slice(pos, pos + q.maxResults);
    const views = await render(ctx, z, chunk);
    for (let i = 0; i < chunk.length && items.length < q.maxResults; i++, pos++) {
      const v = views[i];
      if (v && (!keep || keep(v))) items.push(v);
    }
  }
  return { items, ...(pos < all.length ? { next: writeToken(all[pos - 1]!) } : {}) };
}
