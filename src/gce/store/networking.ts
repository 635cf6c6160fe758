import type { Kysely, Selectable } from 'kysely';
import type { GceStore } from './store.js';

/**
 * The GCE front's records of networking things CloudStack has no place for: routes inserted
 * through the front (CloudStack 4.18's VPC static routes only lead to a private gateway, and GCE
 * routes lead to an IP, an instance or the internet) and the names, descriptions and internal
 * reservations of addresses (a CloudStack public IP has no name; a guest IP cannot be reserved).
 */
// A type, not an interface: Kysely's withTables wants an index-signature-compatible shape.
export type NetDb = {
  routes: {
    accountId: string;
    name: string;
    id: string;
    /** CloudStack VPC id of its network, or `default`. */
    network: string;
    /** JSON: the route's fields as inserted (destRange, priority, nextHop*, tags, description). */
    body: string;
    created: number;
  };
  addresses: {
    accountId: string;
    /** `global` or the region's name. */
    scope: string;
    name: string;
    id: string;
    /** CloudStack public IP id (EXTERNAL); '' for an INTERNAL reservation. */
    ipId: string;
    address: string;
    addressType: string;
    /** CloudStack tier id of an INTERNAL address; ''. */
    subnetwork: string;
    description: string;
    /** JSON labels of an INTERNAL address (an EXTERNAL one's are the IP's resource tags). */
    labels: string;
    created: number;
  };
};

export type RouteRow = Selectable<NetDb['routes']>;
export type AddressRow = Selectable<NetDb['addresses']>;

/** The queries, over the front's store. */
export class NetRecords {
  private db: Kysely<NetDb>;
  constructor(store: GceStore) {
    // The tables live in the front's one database (schema.ts creates them); only their types are added here.
    this.db = store.db.withTables<NetDb>() as unknown as Kysely<NetDb>;
  }

  async routes(accountId: string): Promise<RouteRow[]> {
    return (await this.db.selectFrom('routes').selectAll().where('accountId', '=', accountId).execute()).map((r) => ({
      ...r,
      created: Number(r.created),
    }));
  }
  async saveRoute(r: RouteRow): Promise<void> {
    await this.db.insertInto('routes').values(r).execute();
  }
  async dropRoute(accountId: string, name: string): Promise<void> {
    await this.db.deleteFrom('routes').where('accountId', '=', accountId).where('name', '=', name).execute();
  }

  async addresses(accountId: string, scope?: string): Promise<AddressRow[]> {
    let q = this.db.selectFrom('addresses').selectAll().where('accountId', '=', accountId);
    if (scope !== undefined) q = q.where('scope', '=', scope);
    return (await q.execute()).map((r) => ({ ...r, created: Number(r.created) }));
  }
  async saveAddress(r: AddressRow): Promise<void> {
    await this.db
      .insertInto('addresses')
      .values(r)
      .onConflict((oc) => oc.columns(['accountId', 'scope', 'name']).doUpdateSet(r))
      .execute();
  }
  async dropAddress(accountId: string, scope: string, name: string): Promise<void> {
    await this.db
      .deleteFrom('addresses')
      .where('accountId', '=', accountId)
      .where('scope', '=', scope)
      .where('name', '=', name)
      .execute();
  }
}
