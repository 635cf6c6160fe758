import type { CaIssued, CaRevoked, CaRoot } from '../domain/ca.js';
import type { Db } from './db.js';

/** The CA framework's rows: a provider's root, what it issued, what was revoked (CrlDao). */
export const caStore = {
  root(db: Db, provider: string): Promise<CaRoot | undefined> {
    return db.selectFrom('caRoots').selectAll().where('id', '=', provider).executeTakeFirst();
  },
  /** The first root made wins when two nodes make one at once. */
  async saveRoot(db: Db, root: CaRoot): Promise<void> {
    await db
      .insertInto('caRoots')
      .values(root)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  },
  issued(db: Db, id: string): Promise<CaIssued | undefined> {
    return db.selectFrom('caIssued').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async saveIssued(db: Db, c: CaIssued): Promise<void> {
    await db.insertInto('caIssued').values(c).execute();
  },
  revoked(db: Db, serial: string): Promise<CaRevoked | undefined> {
    return db.selectFrom('caRevoked').selectAll().where('id', '=', serial).executeTakeFirst();
  },
  async revoke(db: Db, r: CaRevoked): Promise<void> {
    await db.insertInto('caRevoked').values(r).execute();
  },
};
