import { forbidden, invalid } from '../domain/errors.js';
import type { Account } from '../domain/types.js';
import { accountStore } from '../store/account.store.js';
import type { Db } from '../store/db.js';
import { isAdmin, isRootAdmin, type Caller } from './context.js';

/** `account` + `domainid` on create commands: admins act for another account. */
export interface OwnerRequest {
  account?: string;
  domainId?: string;
}

export async function resolveOwner(db: Db, caller: Caller, o: OwnerRequest): Promise<Account> {
  if (o.account) {
    const domainId = o.domainId ?? caller.domainId;
    const acct = await accountStore.accountByName(db, o.account, domainId);
    if (!acct) throw invalid(`Unable to find account ${o.account} in domain ${domainId}`, 'account');
    if (acct.id !== caller.accountId) {
      if (!isAdmin(caller)) throw forbidden(`Account '${caller.accountName}' does not have permission to act for account ${o.account}`, 'Account', acct.id);
      if (!isRootAdmin(caller)) {
        const d = await accountStore.domainById(db, acct.domainId);
        if (!d || !d.path.startsWith(caller.domainPath)) throw forbidden(`Account '${caller.accountName}' does not have permission to act for account ${o.account}`, 'Account', acct.id);
      }
    }
    return acct;
  }
  const own = await accountStore.accountById(db, caller.accountId);
  if (!own) throw invalid(`Unable to find account ${caller.accountId}`);
  return own;
}
