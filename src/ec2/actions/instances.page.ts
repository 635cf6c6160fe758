import { createHmac } from 'node:crypto';
import { cs, csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import type { Filter } from '../filters.js';
import { zones } from './geo.js';
import { filterInstances, goneOnes, render, terminatedOf, type Terminated } from './instances.list.js';
import type { Input } from './types.js';

/**
 * One page of DescribeInstances: one CloudStack page of VMs (narrowed by the filters CloudStack can
 * apply), rendered and filtered; after the last, the instances terminated within the hour, a page of
 * them at a time. Those are left out of the CloudStack pages, so each comes once whenever CloudStack
 * expunges it. AWS may answer fewer than MaxResults with a NextToken; so does this when filters drop some.
 */
export async function describePage(ctx: Ec2Context, input: Input<'DescribeInstances'>) {
  const cursor = readToken(ctx, input);
  const terminated = (await terminatedOf(ctx)).sort((a, b) => (a.ec2Id < b.ec2Id ? -1 : 1));
  if (cursor.at === 'terminated') return terminatedPage(ctx, input.Filters, terminated, cursor);
  const narrow = await pushdown(ctx, input.Filters);
  const body = narrow
    ? await cs(ctx, 'listVirtualMachines', { ...narrow, page: cursor.n, pagesize: cursor.size })
    : { count: 0, virtualmachine: [] };
  const ending = new Set(terminated.map((t) => t.ec2Id));
  const vms = [];
  for (const vm of body['virtualmachine'] ?? []) if (!ending.has(await ctx.ids.of('instance', vm.id))) vms.push(vm);
  const instances = filterInstances(await render(ctx, vms, []), input.Filters);
  const more = cursor.n * cursor.size < Number(body['count'] ?? 0);
  const next = more
    ? { ...cursor, n: cursor.n + 1 }
    : terminated.length
      ? { at: 'terminated' as const, n: 0, size: cursor.size }
      : undefined;
  return { instances, next: next && writeToken(ctx, input, next) };
}

/** The hour's terminated instances from `n` on: those CloudStack still lists as it shows them (shutting-down), the rest as recorded. */
async function terminatedPage(ctx: Ec2Context, filters: Filter[] | undefined, terminated: Terminated[], c: Cursor) {
  const slice = terminated.slice(c.n, c.n + c.size);
  const csIds = await Promise.all(slice.map((t) => ctx.ids.cs('instance', t.ec2Id)));
  const stillListed = csIds.length ? await csList(ctx, 'listVirtualMachines', 'virtualmachine', { ids: csIds }) : [];
  const live = await render(ctx, stillListed, slice);
  const instances = filterInstances([...live, ...goneOnes(slice, live)], filters);
  const more = c.n + c.size < terminated.length;
  return { instances, next: more ? writeToken(ctx, { Filters: filters }, { ...c, n: c.n + c.size }) : undefined };
}

/** Where a page starts: a CloudStack page, or an offset into the hour's terminated instances; and the page size. */
interface Cursor {
  at: 'cloudstack' | 'terminated';
  n: number;
  size: number;
}

/**
 * NextToken: the cursor, signed with the caller's secret over the query's filters. A token is
 * refused when forged, another caller's, or from a query with other filters or another page size.
 */
function writeToken(ctx: Ec2Context, input: { Filters?: Filter[] }, c: Cursor): string {
  const body = `${c.at === 'terminated' ? 't' : 'p'}${c.n}.${c.size}`;
  return Buffer.from(`${body}.${mac(ctx, input.Filters, body)}`).toString('base64url');
}

const mac = (ctx: Ec2Context, filters: Filter[] | undefined, body: string) =>
  createHmac('sha256', ctx.creds.secretKey)
    .update(`DescribeInstances\n${ctx.creds.apiKey}\n${JSON.stringify(filters ?? [])}\n${body}`)
    .digest('base64url')
    .slice(0, 22);

function readToken(ctx: Ec2Context, input: Input<'DescribeInstances'>): Cursor {
  // AWS's page size when only a NextToken is given is 1000; a token carries the size its pages were cut at.
  if (!input.NextToken) return { at: 'cloudstack', n: 1, size: input.MaxResults ?? 1000 };
  const m = /^([pt])(\d{1,9})\.(\d{1,4})\.([\w-]{22})$/.exec(Buffer.from(input.NextToken, 'base64url').toString());
  const invalid = () => ec2Error('InvalidParameterValue', `Invalid value '${input.NextToken}' for NextToken`);
  if (!m || m[4] !== mac(ctx, input.Filters, `${m[1]}${m[2]}.${m[3]}`)) throw invalid();
  const c: Cursor = { at: m[1] === 't' ? 'terminated' : 'cloudstack', n: Number(m[2]), size: Number(m[3]) };
  if (c.at === 'cloudstack' && c.n < 1) throw invalid();
  // CloudStack pages are cut at one size: a page of another size cannot start where this token points.
  if (input.MaxResults !== undefined && input.MaxResults !== c.size)
    throw ec2Error(
      'InvalidParameterValue',
      `The NextToken was issued for MaxResults ${c.size}, not ${input.MaxResults}`,
    );
  return c;
}

type Params = Record<string, string | string[]>;

/**
 * CloudStack parameters that narrow the listing to a superset of what the filters keep (the EC2
 * filters still run on what comes back); undefined when no VM CloudStack lists can match.
 */
async function pushdown(ctx: Ec2Context, filters: Filter[] | undefined): Promise<Params | undefined> {
  const literal = (v: string) => !/[*?\\]/.test(v);
  const only = (name: string) => {
    const f = filters?.filter((x) => x.Name === name);
    return f?.length === 1 && f[0]!.Values?.length && f[0]!.Values.every(literal) ? f[0]!.Values : undefined;
  };
  const exact = (name: string) => (only(name)?.length === 1 ? only(name)![0] : undefined);
  const out: Params = {};
  const wanted = only('instance-id');
  if (wanted) {
    const ids = (await Promise.all(wanted.map((w) => ctx.ids.cs('instance', w).catch(() => undefined)))).filter(
      (x): x is string => !!x,
    );
    if (!ids.length) return undefined;
    out['ids'] = ids;
  }
  const zone = exact('availability-zone');
  if (zone) {
    const csZone = (await zones(ctx)).find((z) => z.ZoneName === zone)?.csZoneId;
    // CloudStack refuses an unknown zone id; EC2 lists no instances in it.
    if (!csZone) return undefined;
    out['zoneid'] = csZone;
  }
  const state = STATE[exact('instance-state-name') ?? ''];
  if (state) out['state'] = state;
  for (const f of filters ?? []) {
    const key = f.Name?.startsWith('tag:') ? f.Name.slice(4) : undefined;
    const value = key && literal(key) ? exact(f.Name!) : undefined;
    // One tag: CloudStack's tag filter matches key and value exactly, but several tags are OR'ed by some versions.
    if (value !== undefined && !('tags[0].key' in out))
      Object.assign(out, { 'tags[0].key': key, 'tags[0].value': value });
  }
  return out;
}

/**
 * EC2 states that are one CloudStack state (states.ts). `running` is Running and Migrating,
 * `terminated` Destroyed and Error; those are filtered in the front only.
 */
const STATE: Record<string, string> = {
  pending: 'Starting',
  stopping: 'Stopping',
  stopped: 'Stopped',
  'shutting-down': 'Expunging',
};
