import { DomainError } from '../domain/errors.js';
import {
  defaultLimitSetting,
  GiB,
  humanSize,
  isStorage,
  RESOURCE_TYPES,
  typeNumber,
  type Deltas,
  type ResourceName,
} from '../domain/resources.js';
import type { Account, Domain, PublicIp } from '../domain/types.js';
import type { ResourceLimit } from '../domain/organisation.js';
import { accountStore } from '../store/account.store.js';
import { catalogStore } from '../store/catalog.store.js';
import type { Db } from '../store/db.js';
import { projectStore } from '../store/project.store.js';
import { resourceStore } from '../store/resource.store.js';
import { networkStore } from '../store/network.store.js';
import { portableIpStore } from '../store/portableip.store.js';

/**
 * Resource accounting, CloudStack's ResourceLimitManager: every create checks the owner's limits
 * and adds to its counts, every delete takes away, in the transaction that changes the resource.
 * An account's counts are stored; a domain's are the sum over the accounts below it.
 */

export const UNLIMITED = -1;
const isSystem = (a: Account) => a.type === 1 && a.name === 'system';

/** The `max.*` settings, read in the caller's transaction so an update is seen at once. */
export async function limitDefaults(db: Db): Promise<Map<string, number>> {
  const rows = await catalogStore.limitSettings(db);
  return new Map(rows.map((r) => [r.name, Number(r.value)]));
}

/** Config.java's defaults: [setting stem, account and project default, domain default, what it limits]. */
const SETTINGS: [string, number, number, string][] = [
  ['user.vms', 20, 40, 'number of user VMs that can be deployed for'],
  ['public.ips', 20, 40, 'number of public IPs that can be consumed by'],
  ['templates', 20, 40, 'number of templates that can be deployed for'],
  ['snapshots', 20, 40, 'number of snapshots that can be created for'],
  ['volumes', 20, 40, 'number of volumes that can be created for'],
  ['networks', 20, 40, 'number of networks that can be created for'],
  ['vpcs', 20, 40, 'number of vpcs that can be created for'],
  ['cpus', 40, 80, 'number of cpu cores that can be used for'],
  ['memory', 40960, 81920, 'memory (in MB) that can be used for'],
  ['primary.storage', 200, 400, 'primary storage space (in GiB) that can be used for'],
  ['secondary.storage', 400, 800, 'secondary storage space (in GiB) that can be used for'],
];

/** The default limit settings with their CloudStack values and descriptions, for the seeded configuration. */
export const LIMIT_SETTINGS = (['account', 'domain', 'project'] as const).flatMap((owner) =>
  SETTINGS.map(([stem, dflt, domainDflt, what]) => ({
    name: `max.${owner}.${stem}`,
    value: String(owner === 'domain' ? domainDflt : dflt),
    category: `${owner[0]!.toUpperCase()}${owner.slice(1)} Defaults`,
    description: `The default maximum ${what} ${owner === 'account' ? 'an' : 'a'} ${owner}`,
  })),
);

const BUILT_IN: Record<string, number> = Object.fromEntries(LIMIT_SETTINGS.map((s) => [s.name, Number(s.value)]));

function fromSetting(d: Map<string, number>, setting: string | undefined, n: ResourceName): number {
  if (!setting) return UNLIMITED;
  const v = d.get(setting) ?? BUILT_IN[setting];
  if (v === undefined || !Number.isFinite(v) || v < 0) return UNLIMITED;
  return isStorage(n) ? v * GiB : v;
}

/** findCorrectResourceLimitForAccount: root admins have none; else the account's own limit, else the default. */
export async function accountLimit(
  db: Db,
  account: Account,
  n: ResourceName,
  d?: Map<string, number>,
): Promise<number> {
  return limitOf(account, n, await resourceStore.limitsOf(db, 'account', [account.id]), d ?? (await limitDefaults(db)));
}

/** The same from limits already read: `own` holds the account's limit rows. */
export function limitOf(account: Account, n: ResourceName, own: ResourceLimit[], d: Map<string, number>): number {
  if (account.type === 1) return UNLIMITED;
  const row = own.find((l) => l.ownerId === account.id && Number(l.resourceType) === typeNumber(n));
  if (row) return Number(row.max);
  return fromSetting(d, defaultLimitSetting(account.type === 5 ? 'project' : 'account', n), n);
}

/** findCorrectResourceLimitForDomain: ROOT has none; else the nearest limit on the way up (ROOT excluded), else the default. */
export async function domainLimit(db: Db, domain: Domain, n: ResourceName, d?: Map<string, number>): Promise<number> {
  return (await domainLimits(db, domain, d ?? (await limitDefaults(db)))).get(n)!;
}

/** Every type's limit for a domain, walking its ancestors once. */
export async function domainLimits(db: Db, domain: Domain, d: Map<string, number>): Promise<Map<ResourceName, number>> {
  const chain: Domain[] = [];
  for (let cur: Domain | undefined = domain; cur?.parentId; cur = await accountStore.domainById(db, cur.parentId))
    chain.push(cur);
  const rows = await resourceStore.limitsOf(
    db,
    'domain',
    chain.map((c) => c.id),
  );
  const out = new Map<ResourceName, number>();
  for (const n of RESOURCE_TYPES) {
    if (!domain.parentId) {
      out.set(n, UNLIMITED);
      continue;
    }
    const own = chain
      .map((c) => rows.find((l) => l.ownerId === c.id && Number(l.resourceType) === typeNumber(n)))
      .find((l) => l);
    out.set(n, own ? Number(own.max) : fromSetting(d, defaultLimitSetting('domain', n), n));
  }
  return out;
}

/** What a domain and everything below it holds of one type. */
export async function domainCount(db: Db, domain: Domain, n: ResourceName): Promise<number> {
  const ids = (await accountStore.subtree(db, domain.path)).map((x) => x.id);
  return resourceStore.sumOver(db, ids, typeNumber(n));
}

const shown = (n: ResourceName, v: number) => (isStorage(n) ? humanSize(v) : String(v));

async function checkAccount(
  db: Db,
  account: Account,
  domain: Domain,
  n: ResourceName,
  amount: number,
  limit: number,
  current: number,
): Promise<void> {
  if (limit === UNLIMITED || current + amount <= limit) return;
  const project = account.type === 5 ? await projectStore.byAccount(db, account.id) : undefined;
  const who = project ? `Project Name = ${project.name}` : `Account Name = ${account.name}`;
  throw new DomainError(
    'LimitExceeded',
    `Maximum amount of resources of Type = '${n}' for ${who} in Domain Id = ${domain.seq} is exceeded: Account Resource Limit = ${shown(n, limit)}, ` +
      `Current Account Resource Amount = ${shown(n, current)}, Requested Resource Amount = ${shown(n, amount)}.`,
    { kind: 'Account', id: account.id },
  );
}

/** Each domain from the account's up to ROOT (which has no limits), with its limits and what its tree holds, read once per request. */
async function domainChain(
  db: Db,
  domain: Domain,
  d: Map<string, number>,
): Promise<{ domain: Domain; limits: Map<ResourceName, number>; totals: Map<number, number> }[]> {
  const out = [];
  for (let cur: Domain | undefined = domain; cur?.parentId; cur = await accountStore.domainById(db, cur.parentId)) {
    const limits = await domainLimits(db, cur, d);
    if (![...limits.values()].some((l) => l !== UNLIMITED)) continue;
    out.push({
      domain: cur,
      limits,
      totals: await resourceStore.sumsOver(
        db,
        (await accountStore.subtree(db, cur.path)).map((x) => x.id),
      ),
    });
  }
  return out;
}

function checkDomain(
  e: { domain: Domain; limits: Map<ResourceName, number>; totals: Map<number, number> },
  n: ResourceName,
  amount: number,
): void {
  const limit = e.limits.get(n)!;
  const current = e.totals.get(typeNumber(n)) ?? 0;
  if (limit === UNLIMITED || current + amount <= limit) return;
  throw new DomainError(
    'LimitExceeded',
    `Maximum domain resource limits of Type '${n}' for Domain Id = ${e.domain.seq} is exceeded: Domain Resource Limit = ${humanSize(limit)}, ` +
      `Current Domain Resource Amount = ${humanSize(current)}, Requested Resource Amount = ${humanSize(amount)}.`,
    { kind: 'Domain', id: e.domain.id },
  );
}

/**
 * Checks every positive delta against the account's limit and then each domain's up to ROOT, in
 * the order given, and only then records them all: a refused request changes no count.
 */
export async function consume(db: Db, accountId: string, deltas: Deltas): Promise<void> {
  await (
    await checkLimits(db, accountId, deltas)
  )();
}

/**
 * consume in two steps: the limits are checked now, the counts taken when the returned function
 * is called. Taking them locks the account's count rows until the transaction commits, and every
 * deploy of the account takes the same rows, so a long transaction takes them last.
 */
export async function checkLimits(db: Db, accountId: string, deltas: Deltas): Promise<() => Promise<void>> {
  const account = await accountStore.accountById(db, accountId);
  if (!account || isSystem(account)) return async () => {};
  const entries = Object.entries(deltas).filter(([, v]) => v) as [ResourceName, number][];
  const domain =
    account.type !== 1 && entries.some(([, v]) => v > 0)
      ? await accountStore.domainById(db, account.domainId)
      : undefined;
  if (domain) {
    const d = await limitDefaults(db);
    const [own, counts, chain] = [
      await resourceStore.limitsOf(db, 'account', [account.id]),
      await resourceStore.countsOf(db, [account.id]),
      await domainChain(db, domain, d),
    ];
    for (const [n, v] of entries) {
      if (v <= 0) continue;
      const current = Number(counts.find((c) => Number(c.resourceType) === typeNumber(n))?.count ?? 0);
      await checkAccount(db, account, domain, n, v, limitOf(account, n, own, d), current);
      for (const e of chain) checkDomain(e, n, v);
    }
  }
  return () =>
    resourceStore.addAll(
      db,
      account.id,
      entries.map(([n, v]) => [typeNumber(n), v]),
    );
}

/** Gives back what a deleted resource held; counts never go below zero. */
export async function release(db: Db, accountId: string, deltas: Deltas): Promise<void> {
  for (const [n, v] of Object.entries(deltas) as [ResourceName, number][]) {
    if (!v) continue;
    const t = typeNumber(n);
    const current = await resourceStore.count(db, accountId, t);
    await resourceStore.set(db, accountId, t, Math.max(0, current - v));
  }
}

/** What a VM holds while it is not destroyed. */
export const vmDeltas = (vm: { cpuNumber: number; memory: number }): Deltas => ({
  user_vm: 1,
  cpu: vm.cpuNumber,
  memory: vm.memory,
});
export const volumeDeltas = (sizes: number[]): Deltas => ({
  volume: sizes.length,
  primary_storage: sizes.reduce((a, b) => a + b, 0),
});

/** updateResourceCount for one account: every type (or one) counted again from the resources and stored. */
export async function recount(db: Db, accountId: string, only?: ResourceName): Promise<Map<ResourceName, number>> {
  const out = new Map<ResourceName, number>();
  for (const n of only ? [only] : RESOURCE_TYPES) {
    const v = await resourceStore.measure(db, accountId, n);
    await resourceStore.set(db, accountId, typeNumber(n), v);
    out.set(n, v);
  }
  return out;
}

/** A resource that changes size: growth is checked and counted, shrinkage given back. */
export async function adjust(db: Db, accountId: string, deltas: Deltas): Promise<void> {
  const up: Deltas = {},
    down: Deltas = {};
  for (const [n, v] of Object.entries(deltas) as [ResourceName, number][]) {
    if (v > 0) up[n] = v;
    else if (v < 0) down[n] = -v;
  }
  await consume(db, accountId, up);
  await release(db, accountId, down);
}

/**
 * A public address claimed for an account counts against its public_ip limit, in the claiming
 * transaction; the limit is checked before the address is taken, so a refused claim writes nothing.
 */
export async function claimPublicIp(
  db: Db,
  zoneId: string,
  patch: Partial<PublicIp>,
  address?: string,
): Promise<PublicIp | undefined> {
  if (patch.accountId) await consume(db, patch.accountId, { public_ip: 1 });
  const ip = await networkStore.claimPublicIp(db, zoneId, patch, address);
  if (!ip && patch.accountId) await release(db, patch.accountId, { public_ip: 1 });
  return ip;
}

export async function freePublicIp(
  db: Db,
  ip: Pick<PublicIp, 'id' | 'accountId' | 'address' | 'vlanRangeId' | 'isPortable'>,
): Promise<void> {
  if (ip.accountId) await release(db, ip.accountId, { public_ip: 1 });
  // A portable address returns to its region, and the zone's stand-in for it goes (releasePortableIpAddress).
  if (ip.isPortable) await portableIpStore.release(db, ip);
  else await networkStore.freePublicIp(db, ip.id);
}
