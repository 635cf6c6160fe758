import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import { inList } from './idlist.js';
import type { SshKeyPair } from '../domain/types.js';

export const sshKeyStore = {
  byName(db: Db, accountId: string, name: string): Promise<SshKeyPair | undefined> {
    return db
      .selectFrom('sshKeyPairs')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
  },
  byFingerprint(db: Db, accountId: string, fingerprint: string): Promise<SshKeyPair | undefined> {
    return db
      .selectFrom('sshKeyPairs')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('fingerprint', '=', fingerprint)
      .executeTakeFirst();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('sshKeyPairs').where('id', '=', id).execute();
  },
  list(
    db: Db,
    f: { accountIds?: string[]; id?: string; name?: string; fingerprint?: string; keyword?: string },
  ): Promise<SshKeyPair[]> {
    let q = db.selectFrom('sshKeyPairs').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.fingerprint) q = q.where('fingerprint', '=', f.fingerprint);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('created').execute();
  },
};

export const sshKeyPairRows = rowsOf('sshKeyPairs');
