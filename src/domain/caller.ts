import { forbidden } from './errors.js';
import type { RoleType } from './organisation.js';
import { inSubtree } from './tenancy.js';
import type { AccountType } from './types.js';

/** Who is asking: resolved by a front from a signature, a session or a token. */
export interface Caller {
  userId: string;
  username: string;
  accountId: string;
  accountName: string;
  accountType: AccountType;
  domainId: string;
  domainPath: string;
  /** The account's role; absent only for callers built outside the account store (then the type's default applies). */
  roleId?: string;
  roleType?: RoleType;
  /** CloudStack's numeric role id; 1 is the built-in Root Admin role, which no rule restricts. */
  roleSeq?: number;
  /** For domain admins: the domains they administer (theirs and all below). */
  domainIds?: string[];
  /** Accounts of the projects the caller's account is a member of. */
  projectAccountIds?: string[];
}

export const isRootAdmin = (c: Caller): boolean => c.accountType === 1;
/** Domain admins and resource domain admins administer their domain's subtree. */
export const isDomainAdmin = (c: Caller): boolean => c.accountType === 2 || c.accountType === 3;
export const isAdmin = (c: Caller): boolean => isRootAdmin(c) || isDomainAdmin(c);

/** Whether the caller administers this domain: root admins all, domain admins their subtree. */
export function administers(caller: Caller, domain: { id: string; path?: string }): boolean {
  if (isRootAdmin(caller)) return true;
  if (!isDomainAdmin(caller)) return false;
  if (caller.domainIds) return caller.domainIds.includes(domain.id);
  return domain.path !== undefined && inSubtree(domain.path, caller.domainPath);
}

/** Whether the caller's account is a member of the project that owns this account. */
export const memberOf = (caller: Caller, accountId: string | null): boolean =>
  !!accountId && !!caller.projectAccountIds?.includes(accountId);

/** What the caller may see of a listing: everything, a domain subtree, or one account. */
export interface Scope {
  accountIds?: string[];
  domainIds?: string[];
}

export interface ScopeRequest {
  listAll?: boolean;
  accountName?: string;
  domainId?: string;
}

/**
 * Throws Forbidden unless the caller owns the resource, is a member of the project owning it, or
 * administers the owner's domain. `ownerDomainPath` serves callers built without their domain list.
 */
export function assertAccess(
  caller: Caller,
  owner: { accountId: string | null; domainId?: string | null },
  kind: string,
  id: string,
  ownerDomainPath?: string,
): void {
  if (isRootAdmin(caller)) return;
  if (owner.accountId === caller.accountId) return;
  if (memberOf(caller, owner.accountId)) return;
  if (isDomainAdmin(caller)) {
    if (owner.domainId && administers(caller, { id: owner.domainId, path: ownerDomainPath })) return;
    if (ownerDomainPath !== undefined && inSubtree(ownerDomainPath, caller.domainPath)) return;
  }
  throw forbidden(
    `Account '${caller.accountName}' does not have permission to operate with resource ${kind} ${id}`,
    kind,
    id,
  );
}
