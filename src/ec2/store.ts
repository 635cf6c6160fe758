import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataVersion } from '../store/version.js';

/**
 * The EC2 front's own memory: EC2 ids for CloudStack ids, instances it terminated (AWS lists them
 * for a while), and RunInstances client tokens. Its own SQLite file, so the front works the same
 * in front of a remote CloudStack (gateway mode).
 */
interface Ec2Db {
  ids: { kind: string; ec2Id: string; csId: string };
  terminated: { ec2Id: string; accountKey: string; instance: string; at: number };
  clientTokens: { accountKey: string; token: string; paramsHash: string; reservation: string; at: number };
}

export class Ec2Store {
  private constructor(
    readonly db: Kysely<Ec2Db>,
    private writes: DataVersion,
  ) {}

  /** Moves on every write to this store (as the main store's counter does). */
  version(): number {
    return this.writes.value;
  }
  writesByTable(): ReadonlyMap<string, number> {
    return this.writes.byTable();
  }

  static async open(file: string): Promise<Ec2Store> {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    const writes = new DataVersion();
    const db = new Kysely<Ec2Db>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [writes] });
    await db.schema.createTable('ids').ifNotExists().addColumn('kind', 'text', (c) => c.notNull()).addColumn('ec2Id', 'text', (c) => c.primaryKey()).addColumn('csId', 'text', (c) => c.notNull()).execute();
    await db.schema.createIndex('ids_cs').ifNotExists().unique().on('ids').columns(['kind', 'csId']).execute();
    await db.schema
      .createTable('terminated').ifNotExists()
      .addColumn('ec2Id', 'text', (c) => c.primaryKey()).addColumn('accountKey', 'text', (c) => c.notNull())
      .addColumn('instance', 'text', (c) => c.notNull()).addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('clientTokens').ifNotExists()
      .addColumn('accountKey', 'text', (c) => c.notNull()).addColumn('token', 'text', (c) => c.notNull())
      .addColumn('paramsHash', 'text', (c) => c.notNull()).addColumn('reservation', 'text', (c) => c.notNull()).addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('client_tokens_pk', ['accountKey', 'token'])
      .execute();
    return new Ec2Store(db, writes);
  }

  async remember(kind: string, ec2Id: string, csId: string): Promise<void> {
    await this.db.insertInto('ids').values({ kind, ec2Id, csId }).onConflict((oc) => oc.doNothing()).execute();
  }
  async csIdOf(ec2Id: string): Promise<{ kind: string; csId: string } | undefined> {
    return this.db.selectFrom('ids').select(['kind', 'csId']).where('ec2Id', '=', ec2Id).executeTakeFirst();
  }
  async terminate(ec2Id: string, accountKey: string, instance: unknown, at: number): Promise<void> {
    await this.db.insertInto('terminated').values({ ec2Id, accountKey, instance: JSON.stringify(instance), at }).onConflict((oc) => oc.column('ec2Id').doNothing()).execute();
  }
  async terminatedSince(accountKey: string, since: number): Promise<{ ec2Id: string; instance: any; at: number }[]> {
    const rows = await this.db.selectFrom('terminated').selectAll().where('accountKey', '=', accountKey).where('at', '>=', since).execute();
    return rows.map((r) => ({ ec2Id: r.ec2Id, instance: JSON.parse(r.instance), at: Number(r.at) }));
  }
  async clientToken(accountKey: string, token: string): Promise<{ paramsHash: string; reservation: any } | undefined> {
    const r = await this.db.selectFrom('clientTokens').selectAll().where('accountKey', '=', accountKey).where('token', '=', token).executeTakeFirst();
    return r && { paramsHash: r.paramsHash, reservation: JSON.parse(r.reservation) };
  }
  async saveClientToken(accountKey: string, token: string, paramsHash: string, reservation: unknown, at: number): Promise<void> {
    await this.db.insertInto('clientTokens').values({ accountKey, token, paramsHash, reservation: JSON.stringify(reservation), at }).onConflict((oc) => oc.doNothing()).execute();
  }
  close(): Promise<void> {
    return this.db.destroy();
  }
}
