import type { Oobm, OobmPowerState } from '../domain/oobm.js';
import type { Db } from './db.js';

/** Out-of-band management rows: a host's configuration (OutOfBandManagementDao) and the zone/cluster switches. */
export const oobmStore = {
  /** Every configured host's row (few: only hosts with a BMC configured have one). */
  all(db: Db): Promise<Oobm[]> {
    return db.selectFrom('oobm').selectAll().execute();
  },
  forHost(db: Db, hostId: string): Promise<Oobm | undefined> {
    return db.selectFrom('oobm').selectAll().where('id', '=', hostId).executeTakeFirst();
  },
  async save(db: Db, row: Oobm): Promise<void> {
    const { id, ...rest } = row;
    await db
      .insertInto('oobm')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(rest))
      .execute();
  },
  async setPowerState(db: Db, hostIds: string[], state: OobmPowerState): Promise<void> {
    if (hostIds.length) await db.updateTable('oobm').set({ powerState: state }).where('id', 'in', hostIds).execute();
  },
  /** Whether a zone or cluster has it switched on: true unless switched off (isOutOfBandManagementEnabledForZone). */
  async scopeEnabled(db: Db, scopeId: string): Promise<boolean> {
    const row = await db.selectFrom('oobmScopes').select('enabled').where('id', '=', scopeId).executeTakeFirst();
    return row === undefined || row.enabled === 1;
  },
  async setScope(db: Db, scopeId: string, enabled: boolean): Promise<void> {
    const v = enabled ? 1 : 0;
    await db
      .insertInto('oobmScopes')
      .values({ id: scopeId, enabled: v })
      .onConflict((oc) => oc.column('id').doUpdateSet({ enabled: v }))
      .execute();
  },
  async removeHost(db: Db, hostId: string): Promise<void> {
    await db.deleteFrom('oobm').where('id', '=', hostId).execute();
  },
};
