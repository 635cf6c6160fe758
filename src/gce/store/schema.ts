import type { Kysely } from 'kysely';

/**
 * The GCE front's own tables. They hold only what CloudStack has no place for, so the front works
 * the same in front of a remote CloudStack (gateway mode): bearer tokens and the key pairs they
 * stand for, Operations and the CloudStack jobs behind them, and the instance, disk, image and
 * project fields GCE has and CloudStack does not (metadata items, network tags, descriptions,
 * device names, image families).
 */
export interface GceDb {
  tokens: {
    token: string;
    /** access | refresh | code */
    kind: string;
    apiKey: string;
    secretKey: string;
    /** epoch ms; 0 = never */
    expiresAt: number;
  };
  operations: {
    name: string;
    id: string;
    /** CloudStack account id of the project the operation belongs to. */
    accountId: string;
    project: string;
    /** zone | region | global */
    scope: string;
    location: string;
    type: string;
    targetLink: string;
    targetId: string;
    user: string;
    insertTime: number;
    startTime: number;
    endTime: number;
    /** PENDING | RUNNING | DONE */
    status: string;
    /** JSON: CloudStack job ids still to watch */
    jobs: string;
    /** JSON: the GCE error, once failed */
    error: string | null;
    httpStatus: number;
    /** JSON: CloudStack commands that undo a half-done mutation if a job fails */
    undo: string;
    requestId: string | null;
  };
  instances: {
    vmId: string;
    accountId: string;
    description: string;
    /** JSON [{key, value}] */
    metadata: string;
    /** JSON string[] */
    tags: string;
    /** JSON [{email, scopes}] */
    serviceAccounts: string;
    bootDisk: string;
    updated: number;
  };
  projects: {
    accountId: string;
    /** JSON [{key, value}] */
    metadata: string;
  };
  /** What a disk (CloudStack volume) has that a volume has not. */
  disks: {
    volumeId: string;
    accountId: string;
    description: string;
    /** The disk type asked for (`pd-ssd`), when several types share one disk offering. */
    type: string;
    /** The device name it is attached under; '' while detached. */
    deviceName: string;
    /** epoch ms of the last detach; 0 = never */
    detached: number;
  };
  /** What an image (CloudStack template) made through the front has that a template has not. */
  images: {
    templateId: string;
    accountId: string;
    description: string;
    family: string;
    sourceDisk: string;
    sourceDiskId: string;
  };
  /** Service-account keys issued to a user (service-accounts.ts): the public half, and the key pair a JWT signed with it stands for. */
  serviceAccountKeys: {
    keyId: string;
    clientEmail: string;
    project: string;
    /** SPKI PEM */
    publicKey: string;
    apiKey: string;
    secretKey: string;
    created: number;
  };
  /** What an instance has beyond its `instances` record (settings.ts): JSON of InstanceSettings. */
  instanceSettings: {
    vmId: string;
    accountId: string;
    settings: string;
  };
  /** Instance templates live only in the front: CloudStack has nothing like them. */
  instanceTemplates: {
    name: string;
    accountId: string;
    /** '' for a global template, else the region of a regional one. */
    region: string;
    id: string;
    created: number;
    description: string;
    /** JSON: InstanceProperties as given. */
    properties: string;
  };
  /** What a snapshot (CloudStack volume snapshot) made through the front has that CloudStack's has not. */
  snapshots: {
    snapshotId: string;
    accountId: string;
    description: string;
    /** The disk's selfLink and id when the snapshot was taken (the disk may be gone later). */
    sourceDisk: string;
    sourceDiskId: string;
  };
}

export async function createSchema(db: Kysely<GceDb>): Promise<void> {
  await db.schema
    .createTable('tokens')
    .ifNotExists()
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('apiKey', 'text', (c) => c.notNull())
    .addColumn('secretKey', 'text', (c) => c.notNull())
    .addColumn('expiresAt', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('operations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('project', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('targetLink', 'text', (c) => c.notNull())
    .addColumn('targetId', 'text', (c) => c.notNull())
    .addColumn('user', 'text', (c) => c.notNull())
    .addColumn('insertTime', 'bigint', (c) => c.notNull())
    .addColumn('startTime', 'bigint', (c) => c.notNull())
    .addColumn('endTime', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('jobs', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('httpStatus', 'integer', (c) => c.notNull())
    .addColumn('undo', 'text', (c) => c.notNull())
    .addColumn('requestId', 'text')
    .execute();
  await db.schema
    .createIndex('operations_account')
    .ifNotExists()
    .on('operations')
    .columns(['accountId', 'scope', 'location'])
    .execute();
  await db.schema
    .createIndex('operations_request')
    .ifNotExists()
    .unique()
    .on('operations')
    .columns(['accountId', 'requestId'])
    .execute();
  await db.schema
    .createTable('instances')
    .ifNotExists()
    .addColumn('vmId', 'text', (c) => c.primaryKey())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('serviceAccounts', 'text', (c) => c.notNull())
    .addColumn('bootDisk', 'text', (c) => c.notNull())
    .addColumn('updated', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('instances_account').ifNotExists().on('instances').column('accountId').execute();
  await db.schema
    .createTable('projects')
    .ifNotExists()
    .addColumn('accountId', 'text', (c) => c.primaryKey())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('disks')
    .ifNotExists()
    .addColumn('volumeId', 'text', (c) => c.primaryKey())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('deviceName', 'text', (c) => c.notNull())
    .addColumn('detached', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disks_account').ifNotExists().on('disks').column('accountId').execute();
  await db.schema
    .createTable('images')
    .ifNotExists()
    .addColumn('templateId', 'text', (c) => c.primaryKey())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('sourceDisk', 'text', (c) => c.notNull())
    .addColumn('sourceDiskId', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('images_account').ifNotExists().on('images').column('accountId').execute();
  await db.schema
    .createTable('serviceAccountKeys')
    .ifNotExists()
    .addColumn('keyId', 'text', (c) => c.primaryKey())
    .addColumn('clientEmail', 'text', (c) => c.notNull())
    .addColumn('project', 'text', (c) => c.notNull())
    .addColumn('publicKey', 'text', (c) => c.notNull())
    .addColumn('apiKey', 'text', (c) => c.notNull())
    .addColumn('secretKey', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
  await createComputeTables(db);
  await db.schema
    .createIndex('service_account_keys_email')
    .ifNotExists()
    .on('serviceAccountKeys')
    .column('clientEmail')
    .execute();
  await createNetworkingSchema(db);
}

async function createComputeTables(db: Kysely<GceDb>): Promise<void> {
  await db.schema
    .createTable('instanceSettings')
    .ifNotExists()
    .addColumn('vmId', 'text', (c) => c.primaryKey())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('instanceTemplates')
    .ifNotExists()
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('instance_templates_pk', ['accountId', 'region', 'name'])
    .execute();
  await db.schema
    .createTable('snapshots')
    .ifNotExists()
    .addColumn('snapshotId', 'text', (c) => c.primaryKey())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('sourceDisk', 'text', (c) => c.notNull())
    .addColumn('sourceDiskId', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('snapshots_account').ifNotExists().on('snapshots').column('accountId').execute();
}

/** The routes and addresses tables (their row types and queries: networking.ts). */
async function createNetworkingSchema(db: Kysely<GceDb>): Promise<void> {
  await db.schema
    .createTable('routes')
    .ifNotExists()
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('routes_pk', ['accountId', 'name'])
    .execute();
  await db.schema
    .createTable('addresses')
    .ifNotExists()
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('ipId', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('addressType', 'text', (c) => c.notNull())
    .addColumn('subnetwork', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('addresses_pk', ['accountId', 'scope', 'name'])
    .execute();
}
