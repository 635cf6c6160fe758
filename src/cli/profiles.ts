import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What a gateway needs to know about the cloud it fronts; one named set per cloud. */
export interface GatewayProfile {
  /** The CloudStack API endpoint, e.g. http://cloud.example:8080/client/api. */
  cloudstack: string;
  /** Admin key pair the EC2 gateway uses to look up users' secrets (getUser). */
  adminKey?: string;
  adminSecret?: string;
  host?: string;
  ec2Port?: number;
  gcePort?: number;
  dataDir?: string;
  /** Prefix of GCE selfLink URLs. */
  linkBase?: string;
}

export interface ProfileFile {
  profiles: Record<string, GatewayProfile>;
}

export const PROFILE_FIELDS: readonly (keyof GatewayProfile)[] = [
  'cloudstack',
  'adminKey',
  'adminSecret',
  'host',
  'ec2Port',
  'gcePort',
  'dataDir',
  'linkBase',
];

export const defaultProfilePath = (env: NodeJS.ProcessEnv = process.env): string =>
  env['POLYSTACK_CONFIG'] || join(homedir(), '.polystack', 'config.json');

export async function readProfiles(path: string): Promise<ProfileFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<ProfileFile>;
  if (!parsed || typeof parsed !== 'object' || typeof parsed.profiles !== 'object')
    throw new Error(`${path}: not a polystack profile file`);
  return { profiles: parsed.profiles ?? {} };
}

export async function writeProfile(path: string, name: string, profile: GatewayProfile): Promise<void> {
  const file = await readProfiles(path);
  file.profiles[name] = profile;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  // The file holds an admin secret: keep it private even when it existed with looser rights.
  await chmod(path, 0o600);
}

/** The named profile, or undefined when no file or no such profile exists and none was asked for by name. */
export async function loadProfile(path: string, name: string | undefined): Promise<GatewayProfile | undefined> {
  const { profiles } = await readProfiles(path);
  if (name === undefined) return profiles['default'];
  const p = profiles[name];
  if (!p) throw new Error(`no profile '${name}' in ${path} (run: polystack configure --profile ${name})`);
  return p;
}

/** Options every gateway command takes; flags win over the profile, the profile over defaults. */
export interface GatewayFlags {
  cloudstack?: string;
  adminKey?: string;
  adminSecret?: string;
  host?: string;
  port?: string;
  dataDir?: string;
  linkBase?: string;
  profile?: string;
  config?: string;
}

export interface GatewaySettings {
  cloudstack: string;
  adminKey?: string;
  adminSecret?: string;
  host: string;
  port: number;
  dataDir: string;
  linkBase?: string;
}

const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p);

export async function gatewaySettings(
  o: GatewayFlags,
  front: 'ec2' | 'gce',
  env: NodeJS.ProcessEnv = process.env,
): Promise<GatewaySettings> {
  const p = await loadProfile(o.config ?? defaultProfilePath(env), o.profile);
  const cloudstack = o.cloudstack ?? p?.cloudstack;
  if (!cloudstack)
    throw new Error('no CloudStack endpoint: pass --cloudstack URL or write a profile with `polystack configure`');
  const port = o.port ?? (front === 'ec2' ? p?.ec2Port : p?.gcePort) ?? (front === 'ec2' ? 8081 : 8082);
  return {
    cloudstack,
    adminKey: o.adminKey ?? env['POLYSTACK_GATEWAY_ADMIN_KEY'] ?? p?.adminKey,
    adminSecret: o.adminSecret ?? env['POLYSTACK_GATEWAY_ADMIN_SECRET'] ?? p?.adminSecret,
    host: o.host ?? p?.host ?? '127.0.0.1',
    port: Number(port),
    dataDir: expandHome(o.dataDir ?? p?.dataDir ?? join(homedir(), '.polystack-gateway')),
    linkBase: o.linkBase ?? p?.linkBase,
  };
}

/** Adds the options shared by ec2-gateway and gce-gateway. */
export function gatewayOptions<T extends { option(flags: string, description: string): T }>(cmd: T): T {
  return cmd
    .option(
      '--cloudstack <url>',
      'CloudStack API endpoint, e.g. http://cloud.example:8080/client/api (or from the profile)',
    )
    .option(
      '--profile <name>',
      'gateway profile written by `polystack configure` (default: the one named default, if any)',
    )
    .option('--config <file>', 'profile file (env POLYSTACK_CONFIG, default ~/.polystack/config.json)')
    .option('-p, --port <port>', 'port to listen on (EC2 8081, GCE 8082)')
    .option('--host <host>', 'address to bind (127.0.0.1)')
    .option('--data-dir <dir>', 'where the gateway keeps its own small store (~/.polystack-gateway)')
    .option('--in-memory', 'keep the gateway store in memory');
}
