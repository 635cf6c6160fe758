import { homedir } from 'node:os';
import { join } from 'node:path';
import type { OpenOptions } from '../store/db.js';

/** Settings from flags, then environment, then defaults. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  inMemory: boolean;
  adminApiKey?: string;
  adminSecretKey?: string;
  agentDelayMs?: number;
  logLevel: string;
  /** Bearer token accepted by the /_polystack control endpoints besides root-admin credentials. */
  controlToken?: string;
  /** Reuse list answers until the next write (POLYSTACK_RESPONSE_CACHE=off turns it off, for measuring). */
  responseCache: boolean;
  /** A seed manifest (YAML or JSON) applied on top of the built-in seed, at start and on reset. */
  seedFile?: string;
  /** amqp:// URL: publish CloudStack-style events to RabbitMQ (exchange cloudstack-events). */
  eventBus?: string;
  /** A Marvin config to build at first start instead of the two default zones; `none` builds no zone. */
  datacenterFile?: string;
  /** postgres:// URL: keep the cloud in PostgreSQL, shared with every node given the same URL. */
  database?: string;
  /** PostgreSQL connections per node (POLYSTACK_DB_POOL, default 10). */
  dbPool: number;
  /** This node's name in listManagementServers (default host:port). */
  nodeName?: string;
  /** A bearer token the GCE front takes as the admin user, with no token endpoint and no expiry (tests, demos). */
  gceDevToken?: string;
}

export interface ConfigFlags {
  host?: string;
  port?: string | number;
  dataDir?: string;
  inMemory?: boolean;
  controlToken?: string;
  seed?: string;
  eventBus?: string;
  datacenter?: string;
  database?: string;
  nodeName?: string;
}

export function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(flags.port ?? env['POLYSTACK_PORT'] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${flags.port ?? env['POLYSTACK_PORT']}`);
  const delay = env['POLYSTACK_AGENT_DELAY_MS'];
  const database = flags.database ?? (env['POLYSTACK_DATABASE_URL'] || undefined);
  if (database !== undefined && !/^postgres(ql)?:\/\//.test(database)) throw new Error(`invalid database: ${database} (give a postgres:// URL)`);
  const dbPool = Number(env['POLYSTACK_DB_POOL'] ?? 10);
  if (!Number.isInteger(dbPool) || dbPool < 2) throw new Error(`invalid POLYSTACK_DB_POOL: ${env['POLYSTACK_DB_POOL']} (2 or more)`);
  return {
    host: flags.host ?? env['POLYSTACK_HOST'] ?? '127.0.0.1',
    port,
    dataDir: flags.dataDir ?? env['POLYSTACK_DATA_DIR'] ?? join(homedir(), '.polystack'),
    inMemory: flags.inMemory ?? ['1', 'true'].includes((env['POLYSTACK_IN_MEMORY'] ?? '').toLowerCase()),
    adminApiKey: env['POLYSTACK_ADMIN_API_KEY'] || undefined,
    adminSecretKey: env['POLYSTACK_ADMIN_SECRET_KEY'] || undefined,
    agentDelayMs: delay !== undefined && delay !== '' ? Number(delay) : undefined,
    logLevel: env['POLYSTACK_LOG_LEVEL'] ?? 'warn',
    controlToken: flags.controlToken ?? (env['POLYSTACK_CONTROL_TOKEN'] || undefined),
    responseCache: (env['POLYSTACK_RESPONSE_CACHE'] ?? 'on').toLowerCase() !== 'off',
    seedFile: flags.seed ?? (env['POLYSTACK_SEED'] || undefined),
    eventBus: flags.eventBus ?? (env['POLYSTACK_EVENT_BUS'] || undefined),
    datacenterFile: flags.datacenter ?? (env['POLYSTACK_DATACENTER'] || undefined),
    database,
    dbPool,
    nodeName: flags.nodeName ?? (env['POLYSTACK_NODE_NAME'] || undefined),
    gceDevToken: env['POLYSTACK_GCE_DEV_TOKEN'] || undefined,
  };
}

export const databaseFile = (c: Config): string => (c.inMemory ? ':memory:' : join(c.dataDir, 'polystack.db'));

/** Where the cloud's rows live: the PostgreSQL URL when one is given, else the SQLite file. */
export const storeOptions = (c: Config): OpenOptions => (c.database ? { url: c.database, poolSize: c.dbPool } : { file: databaseFile(c) });
