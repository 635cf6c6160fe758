import type { Kysely } from 'kysely';
import { openSideDb } from '../store/side.js';
import { inChunks } from '../store/idlist.js';
import { DataVersion } from '../store/version.js';

/**
 * The EC2 front's own memory: EC2 ids for CloudStack ids, instances it terminated (AWS lists them
 * for a while), and RunInstances client tokens. Its own SQLite file, so the front works the same
 * in front of a remote CloudStack (gateway mode).
 */
export interface Ec2Db {
  ids: { kind: string; ec2Id: string; csId: string };
  terminated: { ec2Id: string; accountKey: string; instance: string; at: number };
  clientTokens: { accountKey: string; token: string; paramsHash: string; reservation: string; at: number };
  attrs: { csId: string; key: string; value: string };
  netObjects: NetObjectRow;
  launchTemplates: {
    id: string;
    accountKey: string;
    name: string;
    createdBy: string;
    createTime: number;
    defaultVersion: number;
    lastVersion: number;
    tags: string;
  };
  launchTemplateVersions: {
    templateId: string;
    version: number;
    description: string | null;
    data: string;
    createTime: number;
  };
  enis: EniRow;
}

/**
 * An EC2 networking object CloudStack has no form for (route tables, internet and NAT gateways,
 * DHCP option sets): `owner` is the owning account (domain id/account name), `vpc` the EC2 VPC id
 * it belongs to or is attached to ('' for none), `body` its JSON.
 */
export interface NetObjectRow {
  ec2Id: string;
  kind: string;
  owner: string;
  vpc: string;
  body: string;
}

/**
 * What EC2 says of a network interface that CloudStack has no field for. A row without `nicId` is an
 * interface made with CreateNetworkInterface and not attached: it exists only here until a NIC backs it.
 */
export interface EniRow {
  ec2Id: string;
  accountKey: string;
  subnetCsId: string;
  privateIp: string;
  /** JSON list of secondary addresses asked for while detached. */
  secondaryIps: string;
  description: string;
  sourceDestCheck: number;
  /** JSON list of CloudStack security group ids. */
  groups: string;
  deviceIndex: number | null;
  deleteOnTermination: number;
  vmCsId: string | null;
  nicCsId: string | null;
  attachedAt: number | null;
  created: number;
}

export class Ec2Store {
  private constructor(
    readonly db: Kysely<Ec2Db>,
    private writes: DataVersion,
  ) {}

  /** Moves on every write to this store (as the main store's counter does). */
  version(): number {
    return this.writes.value;
  }
  writesByTable(): ReadonlyMap<string, number> {
    return this.writes.byTable();
  }

  /** `target`: a SQLite file (or ':memory:'), or the cloud's postgres:// URL (schema polystack_ec2). */
  static async open(target: string): Promise<Ec2Store> {
    const writes = new DataVersion();
    return new Ec2Store(await openSideDb<Ec2Db>(target, 'polystack_ec2', createSchema, [writes]), writes);
  }

  async remember(kind: string, ec2Id: string, csId: string): Promise<void> {
    await this.db
      .insertInto('ids')
      .values({ kind, ec2Id, csId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  async csIdOf(ec2Id: string): Promise<{ kind: string; csId: string } | undefined> {
    return this.db.selectFrom('ids').select(['kind', 'csId']).where('ec2Id', '=', ec2Id).executeTakeFirst();
  }
  async terminate(ec2Id: string, accountKey: string, instance: unknown, at: number): Promise<void> {
    await this.db
      .insertInto('terminated')
      .values({ ec2Id, accountKey, instance: JSON.stringify(instance), at })
      .onConflict((oc) => oc.column('ec2Id').doNothing())
      .execute();
  }
  async terminatedSince(
    accountKey: string,
    since: number,
  ): Promise<{ ec2Id: string; instance: unknown; at: number }[]> {
    const rows = await this.db
      .selectFrom('terminated')
      .selectAll()
      .where('accountKey', '=', accountKey)
      .where('at', '>=', since)
      .execute();
    return rows.map((r) => ({ ec2Id: r.ec2Id, instance: JSON.parse(r.instance), at: Number(r.at) }));
  }
  async clientToken(
    accountKey: string,
    token: string,
  ): Promise<{ paramsHash: string; reservation: unknown } | undefined> {
    const r = await this.db
      .selectFrom('clientTokens')
      .selectAll()
      .where('accountKey', '=', accountKey)
      .where('token', '=', token)
      .executeTakeFirst();
    return r && { paramsHash: r.paramsHash, reservation: JSON.parse(r.reservation) };
  }
  async saveClientToken(
    accountKey: string,
    token: string,
    paramsHash: string,
    reservation: unknown,
    at: number,
  ): Promise<void> {
    await this.db
      .insertInto('clientTokens')
      .values({ accountKey, token, paramsHash, reservation: JSON.stringify(reservation), at })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  async setAttr(csId: string, key: string, value: string): Promise<void> {
    await this.db
      .insertInto('attrs')
      .values({ csId, key, value })
      .onConflict((oc) => oc.columns(['csId', 'key']).doUpdateSet({ value }))
      .execute();
  }
  async attrs(csIds: string[], key: string): Promise<Map<string, string>> {
    const m = new Map<string, string>();
    const rows = await inChunks(csIds, (ids) =>
      this.db.selectFrom('attrs').selectAll().where('key', '=', key).where('csId', 'in', ids).execute(),
    );
    for (const r of rows) m.set(r.csId, r.value);
    return m;
  }
  async putNet(row: NetObjectRow): Promise<void> {
    await this.db
      .insertInto('netObjects')
      .values(row)
      .onConflict((oc) => oc.column('ec2Id').doUpdateSet({ owner: row.owner, vpc: row.vpc, body: row.body }))
      .execute();
  }
  async net(ec2Id: string): Promise<NetObjectRow | undefined> {
    return this.db.selectFrom('netObjects').selectAll().where('ec2Id', '=', ec2Id).executeTakeFirst();
  }
  /** The kind's objects owned by `owner` or belonging to one of `vpcs`. */
  async nets(kind: string, owner: string, vpcs: string[]): Promise<NetObjectRow[]> {
    const byOwner = await this.db
      .selectFrom('netObjects')
      .selectAll()
      .where('kind', '=', kind)
      .where('owner', '=', owner)
      .execute();
    const byVpc = await inChunks(vpcs, (ids) =>
      this.db.selectFrom('netObjects').selectAll().where('kind', '=', kind).where('vpc', 'in', ids).execute(),
    );
    const seen = new Set(byOwner.map((r) => r.ec2Id));
    return [...byOwner, ...byVpc.filter((r) => !seen.has(r.ec2Id))].sort((a, b) =>
      a.ec2Id < b.ec2Id ? -1 : a.ec2Id > b.ec2Id ? 1 : 0,
    );
  }
  async dropNet(ec2Id: string): Promise<void> {
    await this.db.deleteFrom('netObjects').where('ec2Id', '=', ec2Id).execute();
  }
  /** The values of these keys for these resources, by CloudStack id then key: what a listing shows of settings only some resources have. */
  async attrsWithKeys(keys: string[], csIds: string[]): Promise<Map<string, Map<string, string>>> {
    const m = new Map<string, Map<string, string>>();
    const rows = await inChunks(csIds, (ids) =>
      this.db.selectFrom('attrs').selectAll().where('key', 'in', keys).where('csId', 'in', ids).execute(),
    );
    for (const r of rows) {
      const one = m.get(r.csId) ?? new Map<string, string>();
      one.set(r.key, r.value);
      m.set(r.csId, one);
    }
    return m;
  }
  async deleteAttr(csId: string, key: string): Promise<void> {
    await this.db.deleteFrom('attrs').where('csId', '=', csId).where('key', '=', key).execute();
  }
  async putEni(row: EniRow): Promise<void> {
    const { ec2Id: _id, ...rest } = row;
    await this.db
      .insertInto('enis')
      .values(row)
      .onConflict((oc) => oc.column('ec2Id').doUpdateSet(rest))
      .execute();
  }
  eni(ec2Id: string): Promise<EniRow | undefined> {
    return this.db.selectFrom('enis').selectAll().where('ec2Id', '=', ec2Id).executeTakeFirst();
  }
  enisOf(accountKey: string): Promise<EniRow[]> {
    return this.db.selectFrom('enis').selectAll().where('accountKey', '=', accountKey).orderBy('created').execute();
  }
  async deleteEni(ec2Id: string): Promise<void> {
    await this.db.deleteFrom('enis').where('ec2Id', '=', ec2Id).execute();
  }
  close(): Promise<void> {
    return this.db.destroy();
  }
}

async function createSchema(db: Kysely<Ec2Db>): Promise<void> {
  await db.schema
    .createTable('ids')
    .ifNotExists()
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ec2Id', 'text', (c) => c.primaryKey())
    .addColumn('csId', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ids_cs').ifNotExists().unique().on('ids').columns(['kind', 'csId']).execute();
  await db.schema
    .createTable('terminated')
    .ifNotExists()
    .addColumn('ec2Id', 'text', (c) => c.primaryKey())
    .addColumn('accountKey', 'text', (c) => c.notNull())
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('clientTokens')
    .ifNotExists()
    .addColumn('accountKey', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('paramsHash', 'text', (c) => c.notNull())
    .addColumn('reservation', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_tokens_pk', ['accountKey', 'token'])
    .execute();
  // What EC2 says of a resource that CloudStack has no field for: a volume's device name and type, a snapshot's description.
  await db.schema
    .createTable('attrs')
    .ifNotExists()
    .addColumn('csId', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('attrs_pk', ['csId', 'key'])
    .execute();
  await db.schema
    .createTable('netObjects')
    .ifNotExists()
    .addColumn('ec2Id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('vpc', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('net_objects_owner').ifNotExists().on('netObjects').columns(['kind', 'owner']).execute();
  await db.schema.createIndex('net_objects_vpc').ifNotExists().on('netObjects').columns(['kind', 'vpc']).execute();
  // Launch templates exist only here (CloudStack has none): they work in front of any CloudStack.
  await db.schema
    .createTable('launchTemplates')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('accountKey', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('createdBy', 'text', (c) => c.notNull())
    .addColumn('createTime', 'bigint', (c) => c.notNull())
    .addColumn('defaultVersion', 'integer', (c) => c.notNull())
    .addColumn('lastVersion', 'integer', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('launch_templates_name')
    .ifNotExists()
    .unique()
    .on('launchTemplates')
    .columns(['accountKey', 'name'])
    .execute();
  await db.schema
    .createTable('launchTemplateVersions')
    .ifNotExists()
    .addColumn('templateId', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('createTime', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('launch_template_versions_pk', ['templateId', 'version'])
    .execute();
  await db.schema
    .createTable('enis')
    .ifNotExists()
    .addColumn('ec2Id', 'text', (c) => c.primaryKey())
    .addColumn('accountKey', 'text', (c) => c.notNull())
    .addColumn('subnetCsId', 'text', (c) => c.notNull())
    .addColumn('privateIp', 'text', (c) => c.notNull())
    .addColumn('secondaryIps', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('sourceDestCheck', 'integer', (c) => c.notNull())
    .addColumn('groups', 'text', (c) => c.notNull())
    .addColumn('deviceIndex', 'integer')
    .addColumn('deleteOnTermination', 'integer', (c) => c.notNull())
    .addColumn('vmCsId', 'text')
    .addColumn('nicCsId', 'text')
    .addColumn('attachedAt', 'bigint')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
}
