import { homedir } from 'node:os';
import { join } from 'node:path';
import type { OpenOptions } from '../store/db.js';
import { defaultMaxConnections } from './connections.js';

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
  limits: Limits;
  /** A bearer token the GCE front takes as the admin user, with no token endpoint and no expiry (tests, demos). */
  gceDevToken?: string;
  /** The admin keys are the published development pair (DEV_KEYS): printed in the start banner. */
  devKeys: boolean;
}

/**
 * The development key pair: documented, the same on every machine, like LocalStack's `test`/`test`.
 * A throw-away cloud (--in-memory, not on PostgreSQL) uses it unless keys are given; a kept cloud
 * only with --dev, because anyone who has read these docs holds it.
 */
export const DEV_KEYS = { apiKey: 'polystack-dev-api-key', secretKey: 'polystack-dev-secret-key' } as const;

/**
 * What one request may cost. The defaults are CloudStack's: its server.properties
 * request.content.size (1 MiB) and request.max.form.keys (5000), Jetty's 30 s idle timeout;
 * Jetty sets no connection cap; polystack's is reached before its file descriptors run out;
 * api.throttling.* are the global settings of its rate-limit plugin (off unless enabled).
 */
export interface Limits {
  /** Largest request body, in bytes (POLYSTACK_REQUEST_CONTENT_SIZE). */
  bodyBytes: number;
  /** Most parameters one request may carry (POLYSTACK_REQUEST_MAX_FORM_KEYS). */
  maxParams: number;
  /** Time to receive a whole request, headers and body (POLYSTACK_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Time a request may take to be answered before the front gives up on it (POLYSTACK_HANDLER_TIMEOUT_MS, 0 = no limit). */
  handlerTimeoutMs: number;
  /** Idle keep-alive connections are closed after this (POLYSTACK_KEEP_ALIVE_TIMEOUT_MS). */
  keepAliveTimeoutMs: number;
  /** A connection with no bytes either way for this long, and no request being worked on, is closed (POLYSTACK_IDLE_TIMEOUT_MS). */
  idleTimeoutMs: number;
  /** Open connections at most; more are closed as they arrive (POLYSTACK_MAX_CONNECTIONS). */
  maxConnections: number;
  /** Applied to the api.throttling.* global settings at start when given (POLYSTACK_API_THROTTLING_ENABLED/_INTERVAL/_MAX). */
  throttling: { enabled?: boolean; intervalS?: number; max?: number };
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
  dev?: boolean;
}

/**
 * Every environment variable resolveConfig reads, for the generated configuration reference
 * (test/docs/config-reference.test.ts fails when this list and resolveConfig disagree).
 */
export const ENVIRONMENT: readonly { name: string; flag?: string; default: string; meaning: string }[] = [
  { name: 'POLYSTACK_PORT', flag: '--port', default: '8080', meaning: 'port to listen on (0 picks a free one)' },
  {
    name: 'POLYSTACK_HOST',
    flag: '--host',
    default: '127.0.0.1',
    meaning: 'address to bind (0.0.0.0 in the container image)',
  },
  {
    name: 'POLYSTACK_DATA_DIR',
    flag: '--data-dir',
    default: '~/.polystack',
    meaning: 'folder of the SQLite database polystack.db',
  },
  { name: 'POLYSTACK_IN_MEMORY', flag: '--in-memory', default: 'off', meaning: '`1` or `true`: keep nothing on disk' },
  { name: 'POLYSTACK_ADMIN_API_KEY', default: 'generated once, kept', meaning: 'API key of the seeded `admin` user' },
  { name: 'POLYSTACK_ADMIN_SECRET_KEY', default: 'generated once, kept', meaning: 'its secret key' },
  { name: 'POLYSTACK_AGENT_DELAY_MS', default: '100', meaning: 'how long each simulated hypervisor command takes' },
  { name: 'POLYSTACK_LOG_LEVEL', default: 'warn', meaning: 'pino log level; logs go to stderr' },
  {
    name: 'POLYSTACK_CONTROL_TOKEN',
    flag: '--control-token',
    default: 'none',
    meaning: 'bearer token accepted by the /_polystack control endpoints',
  },
  {
    name: 'POLYSTACK_RESPONSE_CACHE',
    default: 'on',
    meaning: '`off` stops reusing list answers until the next write (for measuring)',
  },
  {
    name: 'POLYSTACK_SEED',
    flag: '--seed',
    default: 'none',
    meaning: 'seed manifest (YAML or JSON) applied at start and after every reset',
  },
  {
    name: 'POLYSTACK_EVENT_BUS',
    flag: '--event-bus',
    default: 'none',
    meaning: 'amqp:// URL: publish CloudStack-style events to RabbitMQ',
  },
  {
    name: 'POLYSTACK_DATACENTER',
    flag: '--datacenter',
    default: 'the two simulator zones',
    meaning:
      "Marvin config (.cfg) built through the API at first start; 'none' for no zone; 'advanced' or 'basic' for that simulator zone alone",
  },
  {
    name: 'POLYSTACK_DATABASE_URL',
    flag: '--database',
    default: 'none (SQLite)',
    meaning: 'postgres:// URL: keep the cloud in PostgreSQL; every node given it is one cloud',
  },
  { name: 'POLYSTACK_DB_POOL', default: '10', meaning: 'PostgreSQL connections per node (2 or more)' },
  {
    name: 'POLYSTACK_NODE_NAME',
    flag: '--node-name',
    default: 'host:port',
    meaning: 'name of this node in listManagementServers',
  },
  {
    name: 'POLYSTACK_REQUEST_CONTENT_SIZE',
    default: '1048576',
    meaning: "largest request body in bytes (request.content.size); larger is refused in the front's own error shape",
  },
  {
    name: 'POLYSTACK_REQUEST_MAX_FORM_KEYS',
    default: '5000',
    meaning: 'most parameters in one request (request.max.form.keys)',
  },
  { name: 'POLYSTACK_REQUEST_TIMEOUT_MS', default: '30000', meaning: 'time to receive a whole request (0: none)' },
  {
    name: 'POLYSTACK_HANDLER_TIMEOUT_MS',
    default: '60000',
    meaning: "time to answer a request once received (0: none), then the front's own timeout error",
  },
  {
    name: 'POLYSTACK_KEEP_ALIVE_TIMEOUT_MS',
    default: '30000',
    meaning: 'idle keep-alive connections are closed after this',
  },
  {
    name: 'POLYSTACK_IDLE_TIMEOUT_MS',
    default: '30000',
    meaning:
      "a connection silent both ways this long is closed, one that never sent a byte too (Jetty's idle timeout); not while its request is being answered",
  },
  {
    name: 'POLYSTACK_MAX_CONNECTIONS',
    default: '10000, or the open-file limit less 256 when lower',
    meaning: 'open connections at most; past it a new connection is closed at once, before its request is read',
  },
  {
    name: 'POLYSTACK_API_THROTTLING_ENABLED',
    default: 'the setting api.throttling.enabled (false)',
    meaning: '`true` or `false`: per-account rate limit on all three fronts',
  },
  {
    name: 'POLYSTACK_API_THROTTLING_INTERVAL',
    default: 'the setting api.throttling.interval (1)',
    meaning: 'seconds in one throttling window',
  },
  {
    name: 'POLYSTACK_API_THROTTLING_MAX',
    default: 'the setting api.throttling.max (25)',
    meaning: 'calls per account per window',
  },
  {
    name: 'POLYSTACK_DEV',
    flag: '--dev',
    default: 'on for --in-memory without --database, else off',
    meaning:
      '`1` or `true`: the admin keys are the development pair (`polystack-dev-api-key` / `polystack-dev-secret-key`), printed at start; given keys win',
  },
  {
    name: 'POLYSTACK_GCE_DEV_TOKEN',
    default: 'none',
    meaning:
      'a bearer token the GCE front takes as the admin user, with no token endpoint and no expiry (tests, demos)',
  },
];

export function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(flags.port ?? env['POLYSTACK_PORT'] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid port: ${flags.port ?? env['POLYSTACK_PORT']}`);
  const delay = env['POLYSTACK_AGENT_DELAY_MS'];
  const database = flags.database ?? (env['POLYSTACK_DATABASE_URL'] || undefined);
  if (database !== undefined && !/^postgres(ql)?:\/\//.test(database))
    throw new Error(`invalid database: ${database} (give a postgres:// URL)`);
  const dbPool = Number(env['POLYSTACK_DB_POOL'] ?? 10);
  if (!Number.isInteger(dbPool) || dbPool < 2)
    throw new Error(`invalid POLYSTACK_DB_POOL: ${env['POLYSTACK_DB_POOL']} (2 or more)`);
  const inMemory = flags.inMemory ?? truthy(env['POLYSTACK_IN_MEMORY']);
  const givenKeys = !!(env['POLYSTACK_ADMIN_API_KEY'] || env['POLYSTACK_ADMIN_SECRET_KEY']);
  const devKeys =
    !givenKeys &&
    (flags.dev ??
      (env['POLYSTACK_DEV'] !== undefined && env['POLYSTACK_DEV'] !== ''
        ? truthy(env['POLYSTACK_DEV'])
        : inMemory && !database));
  return {
    host: flags.host ?? env['POLYSTACK_HOST'] ?? '127.0.0.1',
    port,
    dataDir: flags.dataDir ?? env['POLYSTACK_DATA_DIR'] ?? join(homedir(), '.polystack'),
    inMemory,
    adminApiKey: devKeys ? DEV_KEYS.apiKey : env['POLYSTACK_ADMIN_API_KEY'] || undefined,
    adminSecretKey: devKeys ? DEV_KEYS.secretKey : env['POLYSTACK_ADMIN_SECRET_KEY'] || undefined,
    devKeys,
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
    limits: resolveLimits(env),
    gceDevToken: env['POLYSTACK_GCE_DEV_TOKEN'] || undefined,
  };
}

const truthy = (v: string | undefined) => ['1', 'true'].includes((v ?? '').toLowerCase());

function resolveLimits(env: NodeJS.ProcessEnv): Limits {
  const int = (name: string, dflt: number, min = 0): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`invalid ${name}: ${raw} (an integer >= ${min})`);
    return n;
  };
  const optional = (name: string, min: number) => (env[name] ? int(name, 0, min) : undefined);
  const enabled = env['POLYSTACK_API_THROTTLING_ENABLED'];
  if (enabled && !['true', 'false'].includes(enabled.toLowerCase()))
    throw new Error(`invalid POLYSTACK_API_THROTTLING_ENABLED: ${enabled} (true or false)`);
  return {
    bodyBytes: int('POLYSTACK_REQUEST_CONTENT_SIZE', 1_048_576, 1024),
    maxParams: int('POLYSTACK_REQUEST_MAX_FORM_KEYS', 5000, 10),
    requestTimeoutMs: int('POLYSTACK_REQUEST_TIMEOUT_MS', 30_000),
    handlerTimeoutMs: int('POLYSTACK_HANDLER_TIMEOUT_MS', 60_000),
    keepAliveTimeoutMs: int('POLYSTACK_KEEP_ALIVE_TIMEOUT_MS', 30_000, 1),
    idleTimeoutMs: int('POLYSTACK_IDLE_TIMEOUT_MS', 30_000, 1),
    maxConnections: int('POLYSTACK_MAX_CONNECTIONS', defaultMaxConnections(), 1),
    throttling: {
      enabled: enabled ? enabled.toLowerCase() === 'true' : undefined,
      intervalS: optional('POLYSTACK_API_THROTTLING_INTERVAL', 1),
      max: optional('POLYSTACK_API_THROTTLING_MAX', 1),
    },
  };
}

export const databaseFile = (c: Config): string => (c.inMemory ? ':memory:' : join(c.dataDir, 'polystack.db'));

/** Where the cloud's rows live: the PostgreSQL URL when one is given, else the SQLite file. */
export const storeOptions = (c: Config): OpenOptions =>
  c.database ? { url: c.database, poolSize: c.dbPool } : { file: databaseFile(c) };
