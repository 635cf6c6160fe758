import type { Kysely } from 'kysely';
import { createTables, I, IN, PK, S, SN } from './tables.js';

/** The zone's secondary storage VM and console proxy (CloudStack's secondary_storage_vm / console_proxy over vm_instance). */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      systemVms: [
        PK,
        I('seq'),
        S('name'),
        S('type'),
        S('zoneId'),
        SN('podId'),
        SN('hostId'),
        SN('lastHostId'),
        SN('agentHostId'),
        S('state'),
        SN('publicIp'),
        SN('privateIp'),
        SN('linkLocalIp'),
        SN('templateId'),
        I('created'),
        IN('removed'),
      ],
    },
    [['systemVms', 'system_vms_zone', ['zoneId']]],
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('systemVms').execute();
}
