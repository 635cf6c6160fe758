import type { Clock } from '../../domain/clock.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { DomainError, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { acctText } from '../../domain/tenancy.js';
import { VALID_VPN_PASSWORD, VALID_VPN_USERNAME, type VpnUser } from '../../domain/vpn.js';
import type { JobEngine } from '../../jobs/engine.js';
import { accountStore, accountRows } from '../../store/account.store.js';
import type { Db, Store } from '../../store/db.js';
import { vpnStore } from '../../store/vpn.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { eventLog } from '../operations/events.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const VPN_USER_JOBS = { apply: 'vpnuser.apply', remove: 'vpnuser.remove' } as const;

/** The remote access VPN users of an account: every VPN of the account lets them in. */
export class VpnUserService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    // AddVpnUserCmd.execute: applyVpnUsers. An account without a VPN has nowhere to apply the user to: it goes again.
    jobs.register<{ id: string }>(VPN_USER_JOBS.apply, async ({ caller, params }) => {
      const failed = await this.store.tx(async (trx) => {
        const user = await vpnStore.user(trx, params.id);
        if (!user) return true;
        if ((await vpnStore.countOfAccount(trx, user.accountId)) === 0) {
          await vpnStore.removeUser(trx, user.id);
          return true;
        }
        await this.applyUsers(trx, user.accountId);
        await eventLog(trx, this.clock, {
          type: 'VPN.USER.ADD',
          description: `Added remote access vpn user ${user.username}`,
          accountId: user.accountId,
          domainId: user.domainId,
          userId: caller.userId,
          resourceId: user.id,
          resourceType: 'VpnUser',
        });
        return false;
      });
      if (failed) throw new DomainError('Internal', 'Failed to add vpn user');
      return { type: 'object', instanceType: 'VpnUser', id: params.id };
    });
    // RemoveVpnUserCmd.execute: removeVpnUser marks the user Revoke, applyVpnUsers (or, without a VPN, the clean-up) removes it.
    jobs.register<{ accountId: string; username: string }>(VPN_USER_JOBS.remove, async ({ caller, params }) => {
      await this.store.tx(async (trx) => {
        const user = await vpnStore.userByName(trx, params.accountId, params.username);
        if (!user)
          throw invalid(`Could not find VPN user=[${params.username}]. VPN owner id=[${params.accountId}]`, 'username');
        assertAccess(caller, user, 'VpnUser', user.id);
        await vpnStore.setUserState(trx, user.id, 'Revoke');
        await this.applyUsers(trx, user.accountId);
        await eventLog(trx, this.clock, {
          type: 'VPN.USER.REMOVE',
          description: `Removed remote access vpn user ${user.username}`,
          accountId: user.accountId,
          domainId: user.domainId,
          userId: caller.userId,
          resourceId: user.id,
          resourceType: 'VpnUser',
        });
      });
      return { type: 'success' };
    });
  }

  /** addVpnUser's create phase: checks the name, password and the account's quota, records the user (state Add) and the job that applies it. */
  async add(
    caller: Caller,
    owner: OwnerRequest,
    username: string,
    password: string,
    cmd: string,
  ): Promise<{ user: VpnUser; jobId: string }> {
    const user = await this.store.tx(async (trx) => {
      const acct = await resolveOwner(trx, caller, owner);
      if (!VALID_VPN_USERNAME.test(username))
        throw invalid(
          `Username [${username}] is invalid. Username has to begin with an alphabet have 3-64 characters including alphabets, numbers and the set '@.-_'.`,
          'username',
        );
      if (!VALID_VPN_PASSWORD.test(password))
        throw invalid(
          "Password has to be 3-32 characters including alphabets, numbers and the set '@+=.-_'",
          'password',
        );
      await accountRows.lock(trx, acct.id);
      const text = acctText({ id: acct.id, name: acct.name });
      if (await vpnStore.userByName(trx, acct.id, username))
        throw invalid(`VPN User with name ${username} is already added for account ${text}`, 'username');
      const limit = this.config.num('remote.access.vpn.user.limit', 8);
      if ((await vpnStore.countUsers(trx, acct.id)) >= limit)
        throw new DomainError('AccountLimit', `Cannot add more than [${limit}] remote access VPN users to ${text}.`);
      const u: VpnUser = {
        id: newId(),
        accountId: acct.id,
        domainId: acct.domainId,
        username,
        password,
        state: 'Add',
        created: this.clock.now(),
      };
      await vpnStore.insertUser(trx, u);
      return u;
    });
    const jobId = await this.jobs.run(caller, {
      cmd,
      kind: VPN_USER_JOBS.apply,
      params: { id: user.id },
      instanceType: 'VpnUser',
      instanceId: user.id,
    });
    return { user, jobId };
  }

  /** removeVpnUser: the owner is resolved now, the user looked up in the job. */
  async remove(caller: Caller, owner: OwnerRequest, username: string, cmd: string): Promise<string> {
    const acct = await resolveOwner(this.store.db, caller, owner);
    return this.jobs.run(caller, {
      cmd,
      kind: VPN_USER_JOBS.remove,
      params: { accountId: acct.id, username },
      instanceType: 'VpnUser',
    });
  }

  find(id: string): Promise<VpnUser | undefined> {
    return vpnStore.user(this.store.db, id);
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; username?: string; keyword?: string },
  ): Promise<VpnUser[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return vpnStore.listUsers(this.store.db, { ...f, accountIds: accounts });
  }

  /** applyVpnUsers once every VPN of the account took the list: new users become Active, revoked ones go. */
  private async applyUsers(db: Db, accountId: string): Promise<void> {
    for (const u of await vpnStore.usersOf(db, accountId)) {
      if (u.state === 'Add') await vpnStore.setUserState(db, u.id, 'Active');
      else if (u.state === 'Revoke') await vpnStore.removeUser(db, u.id);
    }
  }
}
