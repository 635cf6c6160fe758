import { accountStore } from '../store/account.store.js';
import type { Db } from '../store/db.js';
import { invalid } from '../domain/errors.js';
import { isAdmin, isRootAdmin, type Caller } from './context.js';

/** The listing parameters every CloudStack list command shares. */
export interface ListScope {
  listAll?: boolean;
  account?: string;
  domainId?: string;
  isRecursive?: boolean;
}

/**
 * Which accounts' resources a listing may show: undefined means all. A user sees its own
 * account; an admin sees its own unless it asks for listall, an account or a domain.
 */
export async function scopeAccounts(db: Db, caller: Caller, s: ListScope): Promise<string[] | undefined> {
  if (!isAdmin(caller)) return [caller.accountId];
  if (s.account) {
    const acct = await accountStore.accountByName(db, s.account, s.domainId ?? caller.domainId);
    if (!acct) throw invalid(`Unable to find account ${s.account} in domain ${s.domainId ?? caller.domainId}`, 'account');
    return [acct.id];
  }
  if (s.domainId || s.listAll) {
    const domains = await accountStore.listDomains(db);
    const base = s.domainId ? domains.find((d) => d.id === s.domainId) : domains.find((d) => d.id === caller.domainId);
    if (!base) throw invalid(`Unable to find domain by id ${s.domainId}`, 'domainid');
    if (!isRootAdmin(caller) && !base.path.startsWith(caller.domainPath)) return [caller.accountId];
    const recursive = s.listAll || s.isRecursive;
    const inScope = domains.filter((d) => d.id === base.id || (recursive && d.path.startsWith(`${base.path}/`)));
    if (isRootAdmin(caller) && s.listAll && !s.domainId) return undefined;
    const accounts = await accountStore.listAccounts(db, { domainIds: inScope.map((d) => d.id) });
    return accounts.map((a) => a.id);
  }
  return [caller.accountId];
}
