import type { Kysely } from 'kysely';
import { createTables, I, IN, PK, S } from './tables.js';

/**
 * CloudStack's `snapshot_policy` with its `snapshot_schedule` folded in (`nextRun`, the one pending
 * run of each policy), and on `snapshots` the policy that took one and its type (null: MANUAL).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      snapshotPolicies: [PK, S('volumeId'), S('schedule'), S('timezone'), I('intervalType'), I('maxSnaps'), I('display'), IN('nextRun'), I('created')],
    },
    [
      ['snapshotPolicies', 'snapshotPolicies_volume', ['volumeId']],
      ['snapshotPolicies', 'snapshotPolicies_nextRun', ['nextRun']],
    ],
  );
  await db.schema.alterTable('snapshots').addColumn('policyId', 'text').execute();
  await db.schema.alterTable('snapshots').addColumn('snapshotType', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('snapshots').dropColumn('snapshotType').execute();
  await db.schema.alterTable('snapshots').dropColumn('policyId').execute();
  await db.schema.dropTable('snapshotPolicies').execute();
}
