import type { Db } from '../store/db.js';

/** ConfigKey.Scope: where a setting's value may be set besides globally. */
export type Scope = 'Zone' | 'Cluster' | 'StoragePool' | 'Account' | 'Domain' | 'ImageStore';
export interface ScopeTarget { scope: Scope; id: string }

/** updateConfiguration / listConfigurations / resetConfiguration parameter -> scope, and the scope's name in a response. */
export const SCOPE_PARAMS: [param: string, scope: Scope, label: string][] = [
  ['zoneid', 'Zone', 'zone'], ['clusterid', 'Cluster', 'cluster'], ['storageid', 'StoragePool', 'storagepool'],
  ['accountid', 'Account', 'account'], ['domainid', 'Domain', 'domain'], ['imagestoreuuid', 'ImageStore', 'imagestore'],
];
export const scopeLabel = (s: Scope): string => SCOPE_PARAMS.find(([, sc]) => sc === s)![2];

/**
 * The settings polystack declares that 4.18 declares with a scope other than Global (the scope
 * argument of their ConfigKey): every other setting can only be set globally.
 */
const SCOPES: Record<string, Scope> = {
  'cluster.cpu.allocated.capacity.notificationthreshold': 'Cluster', // AlertManager.CPUCapacityThreshold
  'cluster.memory.allocated.capacity.notificationthreshold': 'Cluster', // AlertManager.MemoryCapacityThreshold
  'backup.framework.enabled': 'Zone', // BackupManager.BackupFrameworkEnabled
  'backup.framework.provider.plugin': 'Zone', // BackupManager.BackupProviderPlugin
};
export const scopeOf = (name: string): Scope | 'Global' => SCOPES[name] ?? 'Global';

/** 4.18 settings Marvin's smoke tests set per zone, with BackupManager's defaults and texts. */
export const SCOPED_SETTINGS = [
  { name: 'backup.framework.enabled', value: 'false', category: 'Advanced', description: 'Is backup and recovery framework enabled.' },
  { name: 'backup.framework.provider.plugin', value: 'dummy', category: 'Advanced', description: 'The backup and recovery provider plugin.' },
];

const TABLES = { Zone: 'zones', Cluster: 'clusters', StoragePool: 'storagePools', Account: 'accounts', Domain: 'domains', ImageStore: 'imageStores' } as const;

/** Whether the zone, cluster, ... a scoped value is for exists (removed ones do not). */
export async function scopeExists(db: Db, t: ScopeTarget): Promise<boolean> {
  const row = await db.selectFrom(TABLES[t.scope] as 'zones').select('id').where('id', '=', t.id).executeTakeFirst();
  return !!row;
}
