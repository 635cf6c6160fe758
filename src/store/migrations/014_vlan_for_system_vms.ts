import type { Kysely } from 'kysely';

/** createVlanIpRange forsystemvms: a public range set aside for system VMs (vlan.for_systemvms). Null reads as false. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('vlanRanges').addColumn('forSystemVms', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('vlanRanges').dropColumn('forSystemVms').execute();
}
