import type { Kysely } from 'kysely';
import { createTables, I, IN, PK, S, SN, type Col, type Index } from './tables.js';

/** Storage and images: volume snapshots, VM snapshots, per-zone template copies and launch permissions. */
const TABLES: Record<string, Col[]> = {
  snapshots: [
    PK,
    I('seq'),
    S('name'),
    S('volumeId'),
    S('volumeType'),
    S('zoneId'),
    S('accountId'),
    S('domainId'),
    S('state'),
    I('size'),
    I('physicalSize'),
    SN('diskOfferingId'),
    SN('templateId'),
    I('created'),
    IN('removed'),
  ],
  vmSnapshots: [
    PK,
    S('name'),
    S('displayName'),
    SN('description'),
    S('vmId'),
    S('type'),
    S('state'),
    I('current'),
    SN('parentId'),
    S('serviceOfferingId'),
    S('zoneId'),
    S('accountId'),
    S('domainId'),
    I('created'),
    IN('removed'),
  ],
  templateZones: [
    S('templateId'),
    SN('zoneId'),
    S('downloadState'),
    I('downloadPercent'),
    SN('errorText'),
    I('created'),
  ],
  launchPermissions: [S('templateId'), S('accountId')],
};

const INDEXES: Index[] = [
  ['snapshots', 'snapshots_volume', ['volumeId']],
  ['snapshots', 'snapshots_account', ['accountId']],
  ['vmSnapshots', 'vm_snapshots_vm', ['vmId']],
  ['templateZones', 'template_zones_template', ['templateId']],
  ['launchPermissions', 'launch_permissions_pair', ['templateId', 'accountId'], true],
];

/** Columns later code reads on existing tables; nullable, so rows written before this migration stay valid. */
const COLUMNS: [table: string, column: string, type: 'text' | 'bigint'][] = [
  ['templates', 'isExtractable', 'bigint'],
  ['templates', 'isDynamicallyScalable', 'bigint'],
  ['templates', 'sourceTemplateId', 'text'],
  ['templates', 'sourceSnapshotId', 'text'],
  ['templates', 'checksum', 'text'],
  ['templates', 'templateTag', 'text'],
  ['volumes', 'snapshotId', 'text'],
  ['vms', 'isoId', 'text'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await createTables(db, TABLES, INDEXES);
  for (const [table, column, type] of COLUMNS) await db.schema.alterTable(table).addColumn(column, type).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of [...COLUMNS].reverse()) await db.schema.alterTable(table).dropColumn(column).execute();
  for (const table of Object.keys(TABLES).reverse()) await db.schema.dropTable(table).execute();
}
