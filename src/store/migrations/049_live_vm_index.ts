import { sql, type Kysely } from 'kysely';

/**
 * listVirtualMachines counts the live VMs and reads a page of them in `seq` order. Expunged VMs keep
 * their rows, so without this partial index the count read every row of the table (SQLite: SCAN vms)
 * and the page checked `removed` in each row it passed. The public addresses of a page's VMs (their
 * static NAT) were found by scanning publicIps.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('vms_live_seq').on('vms').column('seq').where(sql.ref('removed'), 'is', null).execute();
  await db.schema.createIndex('public_ips_vm').on('publicIps').column('vmId').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('public_ips_vm').execute();
  await db.schema.dropIndex('vms_live_seq').execute();
}
