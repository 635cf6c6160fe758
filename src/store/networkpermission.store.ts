import type { Db } from './db.js';
import { eachChunk, inChunks } from './idlist.js';

export interface NetworkPermissionRow {
  id: string;
  networkId: string;
  accountId: string;
  created: number;
}

/** network_permissions (NetworkPermissionDao): the accounts an isolated network is shared with. */
export const networkPermissionStore = {
  ofNetwork(db: Db, networkId: string): Promise<NetworkPermissionRow[]> {
    return db
      .selectFrom('networkPermissions')
      .selectAll()
      .where('networkId', '=', networkId)
      .orderBy('created')
      .orderBy('id')
      .execute();
  },
  async has(db: Db, networkId: string, accountId: string): Promise<boolean> {
    return (
      (await db
        .selectFrom('networkPermissions')
        .select('id')
        .where('networkId', '=', networkId)
        .where('accountId', '=', accountId)
        .executeTakeFirst()) !== undefined
    );
  },
  /** The networks shared with any of these accounts; all shared networks when `accountIds` is undefined. */
  async sharedWith(db: Db, accountIds: string[] | undefined): Promise<Set<string>> {
    if (!accountIds)
      return new Set((await db.selectFrom('networkPermissions').select('networkId').execute()).map((r) => r.networkId));
    const rows = await inChunks(accountIds, (ids) =>
      db.selectFrom('networkPermissions').select('networkId').where('accountId', 'in', ids).execute(),
    );
    return new Set(rows.map((r) => r.networkId));
  },
  async add(db: Db, row: NetworkPermissionRow): Promise<void> {
    await db
      .insertInto('networkPermissions')
      .values(row)
      .onConflict((oc) => oc.columns(['networkId', 'accountId']).doNothing())
      .execute();
  },
  async remove(db: Db, networkId: string, accountIds: string[]): Promise<void> {
    await eachChunk(accountIds, (ids) =>
      db.deleteFrom('networkPermissions').where('networkId', '=', networkId).where('accountId', 'in', ids).execute(),
    );
  },
  async removeAll(db: Db, networkId: string): Promise<void> {
    await db.deleteFrom('networkPermissions').where('networkId', '=', networkId).execute();
  },
  /** A removed account keeps no permissions. */
  async removeOfAccount(db: Db, accountId: string): Promise<void> {
    await db.deleteFrom('networkPermissions').where('accountId', '=', accountId).execute();
  },
};
