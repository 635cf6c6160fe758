import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { resolveConfig, storeOptions } from '../server/config.js';
import { openStore } from '../store/db.js';
import { seed } from '../services/seed.js';
import { accountStore } from '../store/account.store.js';
import { endpointsOf, type Credentials } from '../control/credentials.routes.js';
import { requestFailure } from './errors.js';
import { exportsFor } from '../control/exports.js';
import { UNIVERSE_DOMAIN } from '../gce/service-accounts.js';

interface EnvOptions {
  url?: string;
  port?: string;
  host?: string;
  dataDir?: string;
  database?: string;
  user: string;
  password: string;
  controlToken?: string;
  cloudstack?: boolean;
  aws?: boolean;
  gce?: boolean;
  gceKeyFile?: string;
}

export { exportsFor } from '../control/exports.js';

/** Asks a running polystack (any host, any container) for the user's credentials. */
async function fromServer(url: string, o: EnvOptions): Promise<Credentials> {
  const target = new URL('/_polystack/credentials', url);
  const authorization = authorizationOf(o);
  let res: Response;
  try {
    res = await fetch(target, { headers: { authorization } });
  } catch (err) {
    throw requestFailure(url, err);
  }
  const body = (await res.json().catch(() => ({}))) as Credentials & { error?: { message?: string } };
  if (!res.ok)
    throw new Error(
      `polystack at ${url} refused the credentials request (${res.status}): ${body.error?.message ?? res.statusText}`,
    );
  return body;
}

/** Asks the server for a new service-account key file and writes it (owner-only: it holds a private key). */
async function gceKeyFrom(url: string, o: EnvOptions, project: string): Promise<string> {
  const file = resolve(
    o.gceKeyFile ??
      join(process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'polystack', `gce-${project}.json`),
  );
  let res: Response;
  try {
    res = await fetch(new URL('/_polystack/credentials/gce-key', url), {
      method: 'POST',
      headers: { authorization: authorizationOf(o) },
    });
  } catch (err) {
    throw requestFailure(url, err);
  }
  const body = (await res.json().catch(() => ({}))) as { private_key?: string; error?: { message?: string } };
  if (!res.ok || !body.private_key)
    throw new Error(
      `polystack at ${url} refused the service-account key request (${res.status}): ${body.error?.message ?? res.statusText}`,
    );
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  return file;
}

const authorizationOf = (o: EnvOptions) =>
  o.controlToken ? `Bearer ${o.controlToken}` : `Basic ${Buffer.from(`${o.user}:${o.password}`).toString('base64')}`;

/** Reads the admin's keys straight from a stopped cloud's database (the server need not run). */
async function fromDatabase(o: EnvOptions): Promise<Credentials> {
  const config = resolveConfig(o);
  const store = await openStore(storeOptions(config));
  try {
    await seed(store, { now: Date.now(), adminApiKey: config.adminApiKey, adminSecretKey: config.adminSecretKey });
    const root = await accountStore.rootDomain(store.db);
    const admin = root && (await accountStore.userByName(store.db, 'admin', root.id));
    if (!admin?.user.apiKey || !admin.user.secretKey) throw new Error('the admin user has no API key');
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    return {
      user: 'admin',
      account: admin.account.name,
      domain: admin.domain.path,
      apiKey: admin.user.apiKey,
      secretKey: admin.user.secretKey,
      gceProject: admin.account.name,
      endpoints: endpointsOf(`http://${host}:${config.port}`),
    };
  } finally {
    await store.close();
  }
}

export function registerEnv(program: Command): void {
  program
    .command('env')
    .description('print shell exports that point clients at a running polystack (CloudStack by default; --aws, --gce)')
    .option('--url <url>', 'the polystack to ask (env POLYSTACK_URL; default http://HOST:PORT from --host/--port)')
    .option('-p, --port <port>', 'port polystack listens on (env POLYSTACK_PORT, default 8080)')
    .option('--host <host>', 'host polystack listens on (env POLYSTACK_HOST, default 127.0.0.1)')
    .option(
      '--user <name>',
      'user whose keys to print; user@domain/path outside ROOT (env POLYSTACK_USER)',
      process.env['POLYSTACK_USER'] ?? 'admin',
    )
    .option(
      '--password <password>',
      "that user's password (env POLYSTACK_PASSWORD)",
      process.env['POLYSTACK_PASSWORD'] ?? 'password',
    )
    .option(
      '--control-token <token>',
      "ask with the control token instead: the admin's keys (env POLYSTACK_CONTROL_TOKEN)",
      process.env['POLYSTACK_CONTROL_TOKEN'] || undefined,
    )
    .option('--cloudstack', 'CLOUDSTACK_ENDPOINT/KEY/SECRET (cs, cmk, Ansible, Terraform); the default')
    .option('--aws', 'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, region (AWS CLI and SDKs)')
    .option(
      '--gce',
      'the compute endpoint override, the project, the OAuth client pair and a new service-account key file (GOOGLE_APPLICATION_CREDENTIALS)',
    )
    .option(
      '--gce-key-file <path>',
      'with --gce: where to write the new service-account key file (default ~/.config/polystack/gce-PROJECT.json)',
    )
    .option('--data-dir <dir>', "read a stopped cloud's database instead of asking a server")
    .option('--database <url>', "read this postgres:// cloud's database instead of asking a server")
    .action(async (o: EnvOptions) => {
      const offline = !o.url && (o.dataDir !== undefined || o.database !== undefined);
      const config = resolveConfig({ host: o.host, port: o.port });
      const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
      const url = o.url ?? process.env['POLYSTACK_URL'] ?? `http://${host}:${config.port}`;
      const creds = offline ? await fromDatabase(o) : await fromServer(url, o);
      const any = o.cloudstack || o.aws || o.gce;
      // A key file is issued by a running server (its GCE front keeps the public half); a stopped cloud's database has none to give.
      const keyFile = o.gce && !offline ? await gceKeyFrom(url, o, creds.gceProject) : undefined;
      process.stdout.write(
        exportsFor(
          creds,
          { cloudstack: !any || !!o.cloudstack, aws: !!o.aws, gce: !!o.gce },
          keyFile ? { keyFile, universeDomain: UNIVERSE_DOMAIN } : undefined,
        ),
      );
    });
}
