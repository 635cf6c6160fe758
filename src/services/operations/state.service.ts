import { createHash } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid } from '../../domain/errors.js';
import type { JobEngine } from '../../jobs/engine.js';
import { accountStore, userRows } from '../../store/account.store.js';
import type { Store } from '../../store/db.js';
import { appliedMigrations } from '../../store/db.js';
import { numberCreationOrder } from '../../store/migrations/028_creation_order.js';
import { jobStore } from '../../store/job.store.js';
import * as state from '../../store/state.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import type { SecurityGroupService } from '../network/securitygroup.service.js';

export const STATE_FORMAT = 'polystack-state';
export const STATE_VERSION = 1;

export interface Snapshot {
  format: typeof STATE_FORMAT;
  version: number;
  exportedAt: string;
  /** Migrations the exporting polystack had applied: the shape of the tables. */
  migrations: string[];
  /** sha256 of JSON.stringify(tables): a truncated or edited file is refused. */
  checksum: string;
  tables: Record<string, Record<string, unknown>[]>;
}

const checksum = (tables: Snapshot['tables']) => createHash('sha256').update(JSON.stringify(tables)).digest('hex');

/** Whole-cloud snapshots and resets: the cloud back to its seed, or one account emptied. */
export class StateService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
    private groups: SecurityGroupService,
    /** Applies the seed this process started with to an empty database. */
    private reseed: () => Promise<void>,
  ) {}

  async export(): Promise<Snapshot> {
    const tables: Snapshot['tables'] = {};
    for (const t of await state.stateTables(this.store.db)) tables[t] = await state.dumpTable(this.store.db, t);
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      exportedAt: new Date(this.clock.now()).toISOString(),
      migrations: await appliedMigrations(this.store),
      checksum: checksum(tables),
      tables,
    };
  }

  /** Replaces the whole cloud with a snapshot; a snapshot that does not check out changes nothing. */
  async import(s: Snapshot): Promise<void> {
    if (!s || s.format !== STATE_FORMAT || !s.tables || typeof s.tables !== 'object')
      throw invalid('not a polystack state snapshot', 'snapshot');
    if (typeof s.version !== 'number' || s.version > STATE_VERSION)
      throw invalid(
        `snapshot format version ${s.version} is newer than this polystack reads (${STATE_VERSION})`,
        'snapshot',
      );
    const known = new Set(await appliedMigrations(this.store));
    const unknown = (s.migrations ?? []).filter((m) => !known.has(m));
    if (unknown.length)
      throw invalid(`snapshot comes from a newer polystack (migrations ${unknown.join(', ')})`, 'snapshot');
    if (checksum(s.tables) !== s.checksum)
      throw invalid('snapshot checksum does not match its contents (truncated or edited)', 'snapshot');
    await this.replace(async (db) => {
      const present = new Set(await state.stateTables(db));
      for (const [table, rows] of Object.entries(s.tables)) {
        if (!present.has(table))
          throw invalid(`snapshot has a table this polystack does not know: ${table}`, 'snapshot');
        // Rows from older versions lack later columns; those keep their defaults.
        await state.loadRows(db, table, rows);
      }
      // A snapshot from before 028_creation_order has zones, pods and clusters without numbers.
      await numberCreationOrder(db as any);
      // Jobs that were running when the snapshot was taken are resumed by this process.
      await jobStore.releaseAll(db);
    });
  }

  /** The whole cloud back to its seed; the admin keeps its API keys so clients need no new setup. */
  async reset(): Promise<void> {
    const root = await accountStore.rootDomain(this.store.db);
    const admin = root && (await accountStore.userByName(this.store.db, 'admin', root.id));
    await this.replace(async () => undefined);
    await this.reseed();
    if (admin?.user.apiKey) {
      const again = await accountStore.userByName(
        this.store.db,
        'admin',
        (await accountStore.rootDomain(this.store.db))!.id,
      );
      await this.store.tx((trx) =>
        userRows.update(trx, again!.user.id, { apiKey: admin.user.apiKey, secretKey: admin.user.secretKey }),
      );
    }
    await this.config.load();
  }

  /** Empties one account: its resources go, addresses and capacity return to the pool, the account and users stay. */
  async resetAccount(accountId: string): Promise<void> {
    const acct = await accountStore.accountById(this.store.db, accountId);
    if (!acct)
      throw new DomainError('NotFound', `Account ${accountId} not found`, {
        kind: 'Account',
        id: accountId,
        param: 'account',
      });
    await this.jobs.stop(2000);
    try {
      await this.store.tx(async (trx) => {
        await state.releaseAccountNetworking(trx, accountId);
        await state.deleteVmLinks(trx, accountId);
        for (const t of await state.ownedTables(trx)) {
          if (t !== 'accounts' && t !== 'users' && t !== 'publicIps') await state.deleteOwned(trx, t, accountId);
        }
        await state.recomputeCapacity(trx);
        await this.groups.createDefault(trx, acct);
      });
    } finally {
      await this.jobs.start();
    }
  }

  /** Stops jobs, empties every table, runs `fill`, all in one transaction, and starts jobs again. */
  private async replace(fill: (db: import('../../store/db.js').Db) => Promise<void>): Promise<void> {
    await this.jobs.stop(2000);
    try {
      await this.store.tx(async (trx) => {
        for (const t of await state.stateTables(trx)) await state.wipeTable(trx, t);
        await fill(trx);
      });
      await this.config.load();
    } finally {
      await this.jobs.start();
    }
  }
}
