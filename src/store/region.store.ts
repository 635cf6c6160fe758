import { rowsOf } from './repo.js';
import type { Region } from '../domain/organisation.js';
import type { Db } from './db.js';

/** RegionDao: regions by id or by name, all of them in id order. */
export const regionStore = {
  byId(db: Db, id: number): Promise<Region | undefined> {
    return db.selectFrom('regions').selectAll().where('id', '=', String(id)).executeTakeFirst();
  },
  /** Adds the region unless one with its id or name exists (ON CONFLICT DO NOTHING, any constraint). */
  async insertIfAbsent(db: Db, r: Region): Promise<void> {
    await db
      .insertInto('regions')
      .values(r)
      .onConflict((oc) => oc.doNothing())
      .execute();
  },
  byName(db: Db, name: string): Promise<Region | undefined> {
    return db.selectFrom('regions').selectAll().where('name', '=', name).executeTakeFirst();
  },
  async all(db: Db): Promise<Region[]> {
    return (await db.selectFrom('regions').selectAll().execute()).sort((a, b) => Number(a.id) - Number(b.id));
  },
};

export const regionRows = rowsOf('regions');
