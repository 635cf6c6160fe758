import type { Db } from './db.js';
import { inList } from './idlist.js';
import type { RemoteAccessVpn, VpnUser } from '../domain/vpn.js';

/** Remote access VPNs and the accounts' VPN users. */
export const vpnStore = {
  get(db: Db, id: string): Promise<RemoteAccessVpn | undefined> {
    return db.selectFrom('remoteAccessVpns').selectAll().where('id', '=', id).executeTakeFirst();
  },
  onIp(db: Db, publicIpId: string): Promise<RemoteAccessVpn | undefined> {
    return db.selectFrom('remoteAccessVpns').selectAll().where('publicIpId', '=', publicIpId).executeTakeFirst();
  },
  ofAccountInNetwork(db: Db, accountId: string, networkId: string): Promise<RemoteAccessVpn | undefined> {
    return db
      .selectFrom('remoteAccessVpns')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('networkId', '=', networkId)
      .executeTakeFirst();
  },
  countOfAccount(db: Db, accountId: string): Promise<number> {
    return db
      .selectFrom('remoteAccessVpns')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('accountId', '=', accountId)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  },
  async insert(db: Db, v: RemoteAccessVpn): Promise<void> {
    await db.insertInto('remoteAccessVpns').values(v).execute();
  },
  async update(db: Db, id: string, patch: Partial<RemoteAccessVpn>): Promise<void> {
    await db.updateTable('remoteAccessVpns').set(patch).where('id', '=', id).execute();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('remoteAccessVpns').where('id', '=', id).execute();
  },
  /** Running VPNs only, as listRemoteAccessVpns shows them, ordered by their address. */
  list(
    db: Db,
    f: { accountIds?: string[]; id?: string; ipId?: string; networkId?: string },
  ): Promise<RemoteAccessVpn[]> {
    let q = db.selectFrom('remoteAccessVpns').selectAll().where('state', '=', 'Running');
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.ipId) q = q.where('publicIpId', '=', f.ipId);
    if (f.networkId) q = q.where('networkId', '=', f.networkId);
    return q.orderBy('created').execute();
  },

  user(db: Db, id: string): Promise<VpnUser | undefined> {
    return db.selectFrom('vpnUsers').selectAll().where('id', '=', id).executeTakeFirst();
  },
  userByName(db: Db, accountId: string, username: string): Promise<VpnUser | undefined> {
    return db
      .selectFrom('vpnUsers')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('username', '=', username)
      .executeTakeFirst();
  },
  usersOf(db: Db, accountId: string): Promise<VpnUser[]> {
    return db.selectFrom('vpnUsers').selectAll().where('accountId', '=', accountId).orderBy('created').execute();
  },
  /** VpnUserDao.getVpnUserCount: the users not on their way out. */
  countUsers(db: Db, accountId: string): Promise<number> {
    return db
      .selectFrom('vpnUsers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('accountId', '=', accountId)
      .where('state', '!=', 'Revoke')
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  },
  async insertUser(db: Db, u: VpnUser): Promise<void> {
    await db.insertInto('vpnUsers').values(u).execute();
  },
  async setUserState(db: Db, id: string, state: VpnUser['state']): Promise<void> {
    await db.updateTable('vpnUsers').set({ state }).where('id', '=', id).execute();
  },
  async removeUser(db: Db, id: string): Promise<void> {
    await db.deleteFrom('vpnUsers').where('id', '=', id).execute();
  },
  /** listVpnUsers: users in state Add or Active, by username. */
  listUsers(
    db: Db,
    f: { accountIds?: string[]; id?: string; username?: string; keyword?: string },
  ): Promise<VpnUser[]> {
    let q = db.selectFrom('vpnUsers').selectAll().where('state', 'in', ['Add', 'Active']);
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.username) q = q.where('username', '=', f.username);
    if (f.keyword) q = q.where('username', 'like', `%${f.keyword}%`);
    return q.orderBy('username').execute();
  },
};
