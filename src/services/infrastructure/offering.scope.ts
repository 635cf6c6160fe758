import { invalid } from '../../domain/errors.js';
import { idList } from '../../domain/offerings.js';
import { inSubtree } from '../../domain/tenancy.js';
import type { Account, Domain } from '../../domain/types.js';
import { forbidden } from '../../domain/errors.js';
import { acctText } from '../../domain/tenancy.js';
import { inZones } from '../../domain/offerings.js';
import type { Db } from '../../store/db.js';
import type { ConfigService } from './config.service.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import { domainRows } from '../../store/account.store.js';
import { zoneRows } from '../../store/datacenter.store.js';

/**
 * Who may create, change and delete offerings, and for which domains and zones
 * (ConfigurationManagerImpl). Root admins may do anything; a domain admin only offerings limited to
 * domains of its own subtree, and without tags unless allow.domain.admins.to.create.tagged.offerings.
 */
export type OfferingKind = 'service' | 'disk';

async function domainsOf(db: Db, ids: string[]): Promise<Domain[]> {
  const out: Domain[] = [];
  for (const id of ids) {
    const d = await domainRows.get(db, id);
    if (!d || d.removed) throw invalid('Please specify a valid domain id', 'domainid');
    out.push(d);
  }
  return out;
}

export async function checkZones(db: Db, ids: string[]): Promise<void> {
  for (const id of ids) if (!(await zoneRows.get(db, id))) throw invalid('Please specify a valid zone id', 'zoneid');
}

/** filterChildSubDomains: a domain whose ancestor is also named is covered by it. */
export async function filterChildDomains(db: Db, ids: string[]): Promise<string[]> {
  const ds = await domainsOf(db, [...new Set(ids)]);
  return ds
    .filter((d) => !ds.some((o) => o.id !== d.id && inSubtree(d.path, o.path) && d.path !== o.path))
    .map((d) => d.id);
}

const mayTag = (config: ConfigService) => config.bool('allow.domain.admins.to.create.tagged.offerings', false);
const isDomainAdminType = (c: Caller) => c.accountType === 2;

async function underCaller(db: Db, caller: Caller, domainId: string): Promise<boolean> {
  const d = await domainRows.get(db, domainId);
  return !!d && inSubtree(d.path, caller.domainPath);
}

export async function checkCreate(
  db: Db,
  config: ConfigService,
  caller: Caller,
  kind: OfferingKind,
  domainIds: string[],
  tagged: boolean,
): Promise<void> {
  if (isRootAdmin(caller)) return;
  if (!isDomainAdminType(caller))
    throw invalid(
      `Unable to create ${kind} offering by user: ${caller.userId} because it is not root-admin or domain-admin`,
    );
  if (domainIds.length === 0)
    throw invalid(
      `Unable to create public ${kind} offering by admin: ${caller.userId} because it is domain-admin`,
      'domainid',
    );
  if (tagged && !mayTag(config))
    throw invalid(
      kind === 'service'
        ? `User [${caller.userId}] is unable to create service offerings with storage tags or host tags.`
        : `User [${caller.userId}] is unable to create disk offerings with storage tags.`,
    );
  for (const id of domainIds) {
    if (!(await underCaller(db, caller, id)))
      throw invalid(
        `Unable to create ${kind} offering by another domain-admin: ${caller.userId} for domain: ${id}`,
        'domainid',
      );
  }
}

/**
 * updateServiceOffering / updateDiskOffering's rules for a domain admin; returns the domains the
 * offering ends up with (those outside the admin's subtree stay as they were).
 */
export async function checkUpdate(
  db: Db,
  config: ConfigService,
  caller: Caller,
  kind: OfferingKind,
  o: { id: string; domainIds?: string | null; zoneIds?: string | null },
  next: { domainIds: string[]; zoneIds: string[]; renames: boolean; tagged: boolean },
): Promise<string[]> {
  if (isRootAdmin(caller)) return next.domainIds;
  if (!isDomainAdminType(caller))
    throw invalid(
      `Unable to update ${kind} offering: ${o.id} by id user: ${caller.userId} because it is not root-admin or domain-admin`,
    );
  const existing = idList(o.domainIds);
  if ([...next.zoneIds].sort().join() !== [...idList(o.zoneIds)].sort().join())
    throw invalid(
      `Unable to update zone(s) for ${kind} offering: ${o.id} by admin: ${caller.userId} as it is domain-admin`,
      'zoneid',
    );
  if (existing.length === 0)
    throw invalid(
      `Unable to update public ${kind} offering: ${o.id} by user: ${caller.userId} because it is domain-admin`,
    );
  if (next.domainIds.length === 0)
    throw invalid(
      `Unable to update ${kind} offering: ${o.id} to a public offering by user: ${caller.userId} because it is domain-admin`,
      'domainid',
    );
  if (next.tagged && !mayTag(config))
    throw invalid(`User [${caller.userId}] is unable to update storage tags or host tags.`);
  const kept: string[] = [];
  for (const id of existing) {
    if (await underCaller(db, caller, id)) continue;
    if (next.renames)
      throw invalid(
        `Unable to update ${kind} offering: ${o.id} as it has linked domain(s) which are not child domain for domain-admin: ${caller.userId}`,
      );
    kept.push(id);
  }
  for (const id of next.domainIds) {
    if (!(await underCaller(db, caller, id)))
      throw invalid(
        `Unable to update ${kind} offering: ${o.id} by domain-admin: ${caller.userId} with domain: ${id} which is not a child domain`,
        'domainid',
      );
  }
  return [...new Set([...next.domainIds, ...kept])];
}

export async function checkDelete(
  db: Db,
  caller: Caller,
  kind: OfferingKind,
  o: { id: string; domainIds?: string | null },
): Promise<void> {
  if (isRootAdmin(caller)) return;
  if (!isDomainAdminType(caller))
    throw invalid(
      `Unable to delete ${kind} offering: ${o.id} by user: ${caller.userId} because it is not root-admin or domain-admin`,
    );
  const existing = idList(o.domainIds);
  if (existing.length === 0)
    throw invalid(
      `Unable to delete public ${kind} offering: ${o.id} by admin: ${caller.userId} because it is domain-admin`,
    );
  for (const id of existing) {
    if (!(await underCaller(db, caller, id)))
      throw invalid(
        `Unable to delete ${kind} offering: ${o.id} as it has linked domain(s) which are not child domain for domain-admin: ${caller.userId}`,
      );
  }
}

/** Who uses an offering: a caller, or the account a VM or volume is for. */
export interface OfferingUser {
  accountType: number;
  domainPath: string;
}

/**
 * Whether a caller may see and use an offering limited to some domains: one of them is the
 * caller's domain or above it; a domain admin also sees those of domains below its own.
 */
export async function visibleTo(
  db: Db,
  caller: OfferingUser,
  o: { domainIds?: string | null },
  cache = new Map<string, Domain | undefined>(),
): Promise<boolean> {
  const ids = idList(o.domainIds);
  if (ids.length === 0 || caller.accountType === 1) return true;
  for (const id of ids) {
    if (!cache.has(id)) cache.set(id, await domainRows.get(db, id));
    const d = cache.get(id);
    if (!d) continue;
    if (inSubtree(caller.domainPath, d.path)) return true;
    if (caller.accountType === 2 && inSubtree(d.path, caller.domainPath)) return true;
  }
  return false;
}

/** The ids of an update's `domainid`/`zoneid` string: absent keeps them, `public`/`all` clears them. */
export function updatedIds(given: string | undefined, current: string | null | undefined, clear: string): string[] {
  if (given === undefined) return idList(current);
  if (given.trim().toLowerCase() === clear) return [];
  return given
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * AccountManager.checkAccess(owner, offering, zone): an offering limited to domains or zones is
 * the owner's to use only in them (PermissionDeniedException, 531).
 */
export async function assertOfferingAccess(
  db: Db,
  owner: Account,
  o: { id: string; domainIds?: string | null; zoneIds?: string | null },
  zoneId: string,
  kind: string,
): Promise<void> {
  const d = await domainRows.get(db, owner.domainId);
  if (inZones(o, zoneId) && (await visibleTo(db, { accountType: owner.type, domainPath: d?.path ?? '' }, o))) return;
  throw forbidden(
    `Access denied to ${acctText(owner)} for ${kind}: ${o.id}, zone: ${zoneId} by DomainChecker`,
    kind,
    o.id,
  );
}
