import type { Kysely } from 'kysely';
import { createTables, I, IN, PK, S } from './tables.js';

/**
 * Recurring snapshots: snapshot_policy (one per volume and interval, with its next run, which
 * CloudStack keeps in snapshot_schedule) and the type of each snapshot (Snapshot.Type: MANUAL, or
 * the interval of the policy that took it). Rows written before have no type: they were manual.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      snapshotPolicies: [
        PK,
        I('seq'),
        S('volumeId'),
        S('schedule'),
        S('timezone'),
        I('interval'),
        I('maxSnaps'),
        I('display'),
        S('accountId'),
        S('domainId'),
        IN('nextRun'),
        I('created'),
      ],
    },
    [
      ['snapshotPolicies', 'snapshot_policies_volume_interval', ['volumeId', 'interval'], true],
      ['snapshotPolicies', 'snapshot_policies_next_run', ['nextRun']],
    ],
  );
  await db.schema
    .alterTable('snapshots')
    .addColumn('snapshotType', 'text', (c) => c.notNull().defaultTo('MANUAL'))
    .execute();
  await db.schema.createIndex('snapshots_volume_type').on('snapshots').columns(['volumeId', 'snapshotType']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('snapshots_volume_type').execute();
  await db.schema.alterTable('snapshots').dropColumn('snapshotType').execute();
  await db.schema.dropTable('snapshotPolicies').execute();
}
