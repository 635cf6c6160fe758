import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import type { Session } from '../domain/types.js';

export const sessionStore = {
  get(db: Db, id: string): Promise<Session | undefined> {
    return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** The console's event stream and control calls present only the session key (cookies stay on /client). */
  byKey(db: Db, sessionKey: string): Promise<Session | undefined> {
    return db.selectFrom('sessions').selectAll().where('sessionKey', '=', sessionKey).executeTakeFirst();
  },
  async touch(db: Db, id: string, at: number): Promise<void> {
    await db.updateTable('sessions').set({ lastAccess: at }).where('id', '=', id).execute();
  },
  /** validateUserTwoFactorAuthenticationCode's right code: the session may call everything. */
  async setTwoFactorVerified(db: Db, id: string): Promise<void> {
    await db.updateTable('sessions').set({ twoFactorVerified: 1 }).where('id', '=', id).execute();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  },
  async removeForUser(db: Db, userId: string): Promise<void> {
    await db.deleteFrom('sessions').where('userId', '=', userId).execute();
  },
};

export const sessionRows = rowsOf('sessions');
