import type { Kysely } from 'kysely';
import { createTables, I, IN, PK, S, SN } from './tables.js';

/**
 * Guest VLAN ranges dedicated to an account (CloudStack's account_vnet_map), the region's portable
 * public IP ranges and their addresses (portable_ip_range, portable_ip_address), the mark on a zone's
 * public address row that stands in for a portable one (user_ip_address.is_portable), and a shared
 * network's private VLAN (networks.broadcast_uri pvlan://, pvlan_type).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      guestVlanDedications: [PK, S('physicalNetworkId'), S('accountId'), I('startVlan'), I('endVlan'), I('created')],
      portableIpRanges: [
        PK,
        S('regionId'),
        S('vlan'),
        S('gateway'),
        S('netmask'),
        S('startIp'),
        S('endIp'),
        I('created'),
      ],
      // allocated*: CloudStack's allocated_to_account_id / allocated_in_domain_id (the pool outlives any account).
      portableIps: [
        PK,
        S('rangeId'),
        S('regionId'),
        S('address'),
        I('addressNum'),
        S('state'),
        SN('allocatedAccountId'),
        SN('allocatedDomainId'),
        IN('allocated'),
      ],
    },
    [
      ['guestVlanDedications', 'guest_vlan_dedications_pnet', ['physicalNetworkId']],
      ['guestVlanDedications', 'guest_vlan_dedications_account', ['accountId']],
      ['portableIps', 'portable_ips_range', ['rangeId']],
      ['portableIps', 'portable_ips_address', ['regionId', 'address'], true],
    ],
  );
  await db.schema.alterTable('publicIps').addColumn('isPortable', 'bigint').execute();
  await db.schema.alterTable('networks').addColumn('isolatedPvlan', 'text').execute();
  await db.schema.alterTable('networks').addColumn('isolatedPvlanType', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('networks').dropColumn('isolatedPvlanType').execute();
  await db.schema.alterTable('networks').dropColumn('isolatedPvlan').execute();
  await db.schema.alterTable('publicIps').dropColumn('isPortable').execute();
  for (const t of ['portableIps', 'portableIpRanges', 'guestVlanDedications']) await db.schema.dropTable(t).execute();
}
