import { forbidden } from '../domain/errors.js';
import type { AccountType } from '../domain/types.js';

/** Who is asking: resolved by a front from a signature, a session or a token. */
export interface Caller {
  userId: string;
  username: string;
  accountId: string;
  accountName: string;
  accountType: AccountType;
  domainId: string;
  domainPath: string;
}

export const isRootAdmin = (c: Caller): boolean => c.accountType === 1;
export const isDomainAdmin = (c: Caller): boolean => c.accountType === 2;
export const isAdmin = (c: Caller): boolean => c.accountType === 1 || c.accountType === 2;

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
 * Throws Forbidden unless the caller owns the resource or administers it.
 * `ownerDomainPath` is needed only for domain admins.
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
  if (isDomainAdmin(caller) && ownerDomainPath && ownerDomainPath.startsWith(caller.domainPath)) return;
  throw forbidden(
    `Account '${caller.accountName}' does not have permission to operate with resource ${kind} ${id}`,
    kind,
    id,
  );
}
