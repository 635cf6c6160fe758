import { forbidden, invalid } from '../../domain/errors.js';
import type { Account } from '../../domain/types.js';
import { accountStore } from '../../store/account.store.js';
import type { Db } from '../../store/db.js';
import { administers, isAdmin, type Caller } from '../../domain/caller.js';
import { projectFor } from './scope.js';

/** `account` + `domainid` (or `projectid`) on create commands: admins act for another account, members for their project. */
export interface OwnerRequest {
  account?: string;
  domainId?: string;
  projectId?: string;
}

export async function resolveOwner(db: Db, caller: Caller, o: OwnerRequest): Promise<Account> {
  if (o.projectId) {
    if (o.account) throw invalid("ProjectId and account/domainId can't be specified together", 'projectid');
    const p = await projectFor(db, caller, o.projectId);
    if (p.state !== 'Active')
      throw forbidden(
        `Can't add resources to the project id=${p.id} in state=${p.state} as it's no longer active`,
        'Project',
        p.id,
      );
    const acct = await accountStore.accountById(db, p.projectAccountId);
    if (!acct) throw invalid(`Unable to find project by id ${o.projectId}`, 'projectid');
    return acct;
  }
  if (o.account) {
    const domainId = o.domainId ?? caller.domainId;
    const acct = await accountStore.accountByName(db, o.account, domainId);
    if (!acct || acct.type === 5) throw invalid(`Unable to find account ${o.account} in domain ${domainId}`, 'account');
    if (acct.id !== caller.accountId) {
      const denied = () =>
        forbidden(
          `Account '${caller.accountName}' does not have permission to act for account ${o.account}`,
          'Account',
          acct.id,
        );
      if (!isAdmin(caller)) throw denied();
      const d = await accountStore.domainById(db, acct.domainId);
      if (!d || !administers(caller, d)) throw denied();
    }
    return acct;
  }
  const own = await accountStore.accountById(db, caller.accountId);
  if (!own) throw invalid(`Unable to find account ${caller.accountId}`);
  return own;
}
