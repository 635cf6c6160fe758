import type { Db } from './db.js';
import type { Session } from '../domain/types.js';

export const sessionStore = {
  get(db: Db, id: string): Promise<Session | undefined> {
    return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async touch(db: Db, id: string, at: number): Promise<void> {
    await db.updateTable('sessions').set({ lastAccess: at }).where('id', '=', id).execute();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  },
  async removeForUser(db: Db, userId: string): Promise<void> {
    await db.deleteFrom('sessions').where('userId', '=', userId).execute();
  },
};
