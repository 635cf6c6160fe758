import { Migrator, type Migration } from 'kysely';
import { openSqlite } from './sqlite.js';
import * as m001 from './migrations/001_init.js';
import * as m002 from './migrations/002_port_forwarding.js';
import * as m003 from './migrations/003_infrastructure.js';
import * as m004 from './migrations/004_storage.js';
import * as m005 from './migrations/005_networking.js';
import * as m006 from './migrations/006_affinity_groups.js';
import * as m007 from './migrations/007_instance_groups.js';
import * as m008 from './migrations/008_fault_rules.js';
import * as m009 from './migrations/009_list_order_indexes.js';
import * as m011 from './migrations/011_management_servers.js';
import * as m012 from './migrations/012_allocation_constraints.js';
import * as m014 from './migrations/014_vlan_for_system_vms.js';
import * as m010 from './migrations/010_organisation.js';
import * as m013 from './migrations/013_login_attempts.js';
import * as m015 from './migrations/015_offerings.js';
import * as m016 from './migrations/016_scoped_settings.js';
import * as m017 from './migrations/017_system_vms.js';
import * as m018 from './migrations/018_nic_secondary_ips.js';
import * as m019 from './migrations/019_l2_nics.js';
import * as m020 from './migrations/020_user_data.js';
import * as m021 from './migrations/021_vm_dynamic_scaling.js';
import * as m022 from './migrations/022_image_store_readonly.js';
import * as m024 from './migrations/024_regions.js';
import * as m025 from './migrations/025_annotations.js';
import * as m028 from './migrations/028_creation_order.js';
import * as m035 from './migrations/035_project_roles_network_permissions.js';
import * as m038 from './migrations/038_tombstones.js';
import * as m039 from './migrations/039_certificate_authority.js';
import * as m047 from './migrations/047_out_of_band_management.js';
import * as m041 from './migrations/041_user_two_factor.js';
import * as m045 from './migrations/045_backup_recovery.js';
import * as m040 from './migrations/040_snapshot_policies.js';
import * as m042 from './migrations/042_guest_vlans_portable_ips.js';
import * as m046 from './migrations/046_autoscale.js';
import * as m044 from './migrations/044_ipv6.js';
import * as m048 from './migrations/048_remote_access_vpn.js';
import * as m049 from './migrations/049_live_vm_index.js';

// The handle's types live apart so the two engines can implement them without importing the opener.
export type { Db, OpenOptions, Store } from './handle.js';
import type { OpenOptions, Store } from './handle.js';

const MIGRATIONS: Record<string, Migration> = {
  '001_init': m001,
  '002_port_forwarding': m002,
  '003_infrastructure': m003,
  '004_storage': m004,
  '005_networking': m005,
  '006_affinity_groups': m006,
  '007_instance_groups': m007,
  '008_fault_rules': m008,
  '009_list_order_indexes': m009,
  '010_organisation': m010,
  '011_management_servers': m011,
  '012_allocation_constraints': m012,
  '013_login_attempts': m013,
  '014_vlan_for_system_vms': m014,
  '015_offerings': m015,
  '016_scoped_settings': m016,
  '017_system_vms': m017,
  '018_nic_secondary_ips': m018,
  '019_l2_nics': m019,
  '020_user_data': m020,
  '021_vm_dynamic_scaling': m021,
  '022_image_store_readonly': m022,
  '024_regions': m024,
  '025_annotations': m025,
  '028_creation_order': m028,
  '035_project_roles_network_permissions': m035,
  '038_tombstones': m038,
  '039_certificate_authority': m039,
  '047_out_of_band_management': m047,
  '041_user_two_factor': m041,
  '045_backup_recovery': m045,
  '040_snapshot_policies': m040,
  '042_guest_vlans_portable_ips': m042,
  '046_autoscale': m046,
  '044_ipv6': m044,
  '048_remote_access_vpn': m048,
  '049_live_vm_index': m049,
};

/** Names of the migrations applied to this database, in order. */
export async function appliedMigrations(store: Store): Promise<string[]> {
  const m = new Migrator({
    db: store.db,
    allowUnorderedMigrations: true,
    provider: { getMigrations: async () => MIGRATIONS },
  });
  return (await m.getMigrations()).filter((x) => x.executedAt).map((x) => x.name);
}

export async function openStore(opts: OpenOptions): Promise<Store> {
  // Loaded only for PostgreSQL: the pg driver costs a SQLite start ~50 ms.
  if (opts.url) return (await import('./postgres.js')).openPostgres(opts.url, MIGRATIONS, opts.poolSize);
  return openSqlite(opts.image ?? opts.file ?? ':memory:', MIGRATIONS);
}
