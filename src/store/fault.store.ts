import type { Db } from './db.js';
import type { FaultRule } from '../domain/types.js';

export const faultStore = {
  list(db: Db): Promise<FaultRule[]> {
    return db.selectFrom('faultRules').selectAll().orderBy('created').execute();
  },
  live(db: Db, front: string): Promise<FaultRule[]> {
    return db
      .selectFrom('faultRules')
      .selectAll()
      .where('front', 'in', front === '*' ? ['*'] : [front, '*'])
      .where((eb) => eb.or([eb('remaining', 'is', null), eb('remaining', '>', 0)]))
      .orderBy('created')
      .execute();
  },
  async insert(db: Db, r: FaultRule): Promise<void> {
    await db.insertInto('faultRules').values(r).execute();
  },
  /** Counts a hit; with a count, only while some remain, so two requests cannot both take the last one. */
  async hit(db: Db, r: FaultRule): Promise<boolean> {
    const q = db
      .updateTable('faultRules')
      .set((eb) => ({ hits: eb('hits', '+', 1), remaining: r.remaining === null ? null : eb('remaining', '-', 1) }))
      .where('id', '=', r.id);
    const res = await (r.remaining === null ? q : q.where('remaining', '>', 0)).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  },
  async remove(db: Db, id: string): Promise<boolean> {
    const res = await db.deleteFrom('faultRules').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  },
  async clear(db: Db): Promise<void> {
    await db.deleteFrom('faultRules').execute();
  },
};
