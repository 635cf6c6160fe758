import pg from 'pg';
import { CsClient } from './cs-client.js';
import { freshDatabase, type FreshDatabase } from './pg.js';
import { startServer, type ServerProcess } from './server.js';

export interface Node {
  name: string;
  server: ServerProcess;
  cs: CsClient;
}

export interface Cluster {
  db: FreshDatabase;
  nodes: Node[];
  /** A client on the test's own connection to the cloud's database, to check invariants. */
  sql: pg.Client;
  close(): Promise<void>;
}

/** `n` polystack processes on one fresh PostgreSQL database: the first builds the data center, the rest join it together. */
export async function startCluster(n: number, env: Record<string, string> = {}): Promise<Cluster> {
  const db = await freshDatabase();
  const names = Array.from({ length: n }, (_, i) => `node-${String.fromCharCode(97 + i)}`);
  const start = (name: string) =>
    startServer({ args: ['--in-memory', '--database', db.url, '--node-name', name], env });
  const first = await start(names[0]!);
  const servers = [first, ...(await Promise.all(names.slice(1).map(start)))];
  const nodes = servers.map((server, i) => ({
    name: names[i]!,
    server,
    cs: new CsClient(server.endpoint, server.apiKey, server.secretKey),
  }));
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  return {
    db,
    nodes,
    sql,
    async close() {
      await Promise.all(nodes.map((x) => x.server.stop()));
      await sql.end();
      await db.drop();
    },
  };
}

/** The invariants no number of nodes may break; each returns the offending rows (empty when it holds). */
export async function allocationViolations(sql: pg.Client): Promise<Record<string, unknown[]>> {
  const q = async (text: string) => (await sql.query(text)).rows;
  return {
    // A live NIC address is handed out once per network.
    nicAddressTwice: await q(
      `SELECT "networkId", "ipAddress", count(*) FROM nics WHERE removed IS NULL GROUP BY 1, 2 HAVING count(*) > 1`,
    ),
    // A public address belongs to one holder; an allocated one has one.
    publicIpTwice: await q(`SELECT "zoneId", address, count(*) FROM "publicIps" GROUP BY 1, 2 HAVING count(*) > 1`),
    publicIpWithoutHolder: await q(`SELECT id FROM "publicIps" WHERE state <> 'Free' AND "accountId" IS NULL`),
    // A guest VLAN serves one network, and a live network has at most one.
    vlanTwice: await q(`SELECT "zoneId", vlan, count(*) FROM "guestVlans" GROUP BY 1, 2 HAVING count(*) > 1`),
    networkVlanTwice: await q(
      `SELECT "zoneId", vlan, count(*) FROM networks WHERE removed IS NULL AND vlan IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1`,
    ),
    // What a host has reserved is exactly what the VMs placed on it hold, and never more than it has.
    hostReservationMismatch: await q(`
      SELECT h.id, h."cpuUsed", h."memoryUsed", coalesce(sum(v."cpuNumber" * v."cpuSpeed"), 0) AS cpu, coalesce(sum(v.memory * 1048576), 0) AS mem
      FROM hosts h LEFT JOIN vms v ON v."hostId" = h.id AND v.removed IS NULL
      GROUP BY h.id HAVING h."cpuUsed" <> coalesce(sum(v."cpuNumber" * v."cpuSpeed"), 0) OR h."memoryUsed" <> coalesce(sum(v.memory * 1048576), 0)`),
    hostOverCommitted: await q(
      `SELECT id FROM hosts WHERE "memoryUsed" > memory OR "cpuUsed" > "cpuNumber" * "cpuSpeed"`,
    ),
    // One default network per account and zone, however many first deploys raced to create it.
    defaultNetworkTwice: await q(
      `SELECT "accountId", "zoneId", count(*) FROM networks WHERE removed IS NULL AND type = 'Isolated' AND "vpcId" IS NULL GROUP BY 1, 2 HAVING count(*) > 1`,
    ),
    jobsStuck: await q(`SELECT id, kind, owner FROM jobs WHERE status = 0`),
  };
}
