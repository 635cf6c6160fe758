import { readConfigFile, S } from '../config-file.js';
import { DomainError } from '../domain/errors.js';
import type { Services } from './services.js';
import type { Caller } from '../domain/caller.js';
import { toCaller } from './identity/account.service.js';
import { accountStore } from '../store/account.store.js';

/**
 * A seed manifest: the accounts, key pairs, security groups and VMs a test cloud starts with,
 * applied after the built-in seed at start and again after every reset. Applying it twice
 * changes nothing: whatever already exists by name is left as it is.
 */
export interface Manifest {
  accounts?: {
    name: string;
    type?: 'user' | 'admin' | 'domain-admin';
    users: { username: string; password: string; apiKey?: string; secretKey?: string; email?: string }[];
  }[];
  keyPairs?: { account?: string; name: string; publicKey?: string }[];
  securityGroups?: {
    account?: string;
    name: string;
    description?: string;
    ingress?: { protocol?: string; ports?: number | string; cidr?: string }[];
  }[];
  vms?: {
    account?: string;
    name: string;
    zone: string;
    template: string;
    offering: string;
    securityGroups?: string[];
    keyPair?: string;
    userData?: string;
    start?: boolean;
  }[];
}

const TYPES = { user: 0, admin: 1, 'domain-admin': 2 } as const;

const MANIFEST = S.obj({
  accounts: S.list(
    S.obj(
      {
        name: S.str,
        type: S.oneOf('user', 'admin', 'domain-admin'),
        users: S.list(
          S.obj({ username: S.str, password: S.str, apiKey: S.str, secretKey: S.str, email: S.str }, [
            'username',
            'password',
          ]),
        ),
      },
      ['name', 'users'],
    ),
  ),
  keyPairs: S.list(S.obj({ account: S.str, name: S.str, publicKey: S.str }, ['name'])),
  securityGroups: S.list(
    S.obj(
      {
        account: S.str,
        name: S.str,
        description: S.str,
        ingress: S.list(S.obj({ protocol: S.str, ports: S.scalar, cidr: S.str })),
      },
      ['name'],
    ),
  ),
  vms: S.list(
    S.obj(
      {
        account: S.str,
        name: S.str,
        zone: S.str,
        template: S.str,
        offering: S.str,
        securityGroups: S.list(S.str),
        keyPair: S.str,
        userData: S.str,
        start: S.bool,
      },
      ['name', 'zone', 'template', 'offering'],
    ),
  ),
});

/** A seed manifest (YAML or JSON); a wrong key or value is named with the file and line. */
export function readManifest(file: string): Manifest {
  return readConfigFile<Manifest>(file, MANIFEST, 'seed manifest');
}

const exists = (e: unknown) => e instanceof DomainError && /already exists|reserved/.test(e.message);

export async function applyManifest(s: Services, admin: Caller, m: Manifest): Promise<void> {
  const root = (await accountStore.rootDomain(s.store.db))!;
  const callerFor = async (account?: string): Promise<Caller> => {
    if (!account) return admin;
    const acct = await accountStore.accountByName(s.store.db, account, root.id);
    const user = acct && (await accountStore.usersOfAccounts(s.store.db, [acct.id]))[0];
    if (!user) throw new Error(`manifest: no account ${account}`);
    return toCaller((await accountStore.userById(s.store.db, user.id))!);
  };
  for (const a of m.accounts ?? []) {
    const [first, ...more] = a.users;
    if (!first) throw new Error(`manifest: account ${a.name} needs a user`);
    const base = { accountType: TYPES[a.type ?? 'user'], firstname: a.name, lastname: 'seed' };
    if (!(await accountStore.accountByName(s.store.db, a.name, root.id)))
      await s.accounts.createAccount(admin, {
        ...base,
        accountName: a.name,
        username: first.username,
        password: first.password,
        email: first.email ?? `${first.username}@polystack.local`,
      });
    for (const u of more) {
      if (!(await accountStore.usernameTaken(s.store.db, u.username, root.id)))
        await s.accounts.createUser(admin, a.name, root.id, {
          ...base,
          username: u.username,
          password: u.password,
          email: u.email ?? `${u.username}@polystack.local`,
        });
    }
    for (const u of a.users) {
      if (!u.apiKey || !u.secretKey) continue;
      const found = await accountStore.userByName(s.store.db, u.username, root.id);
      await s.accounts.setUserKeys(admin, found!.user.id, { apiKey: u.apiKey, secretKey: u.secretKey });
    }
  }
  for (const k of m.keyPairs ?? []) {
    const c = await callerFor(k.account);
    if ((await s.keys.list(c, {}, { name: k.name })).length) continue;
    if (k.publicKey) await s.keys.register(c, k.name, k.publicKey, {});
    else await s.keys.create(c, k.name, {});
  }
  for (const g of m.securityGroups ?? []) {
    const c = await callerFor(g.account);
    try {
      await s.groups.create(c, g.name, g.description, {});
    } catch (e) {
      if (!exists(e)) throw e;
      continue; // an existing group keeps its rules
    }
    for (const r of g.ingress ?? []) {
      const [from, to] = String(r.ports ?? '')
        .split('-')
        .map(Number);
      await s.groups.authorize(c, { name: g.name }, {}, 'ingress', {
        protocol: r.protocol ?? 'tcp',
        startPort: from,
        endPort: to ?? from,
        cidrs: [r.cidr ?? '0.0.0.0/0'],
      });
    }
  }
  const zones = await s.catalog.zones(admin, {});
  for (const v of m.vms ?? []) {
    const c = await callerFor(v.account);
    const zone = zones.find((z) => z.name === v.zone);
    if (!zone) throw new Error(`manifest: no zone ${v.zone}`);
    if ((await s.vms.list(c, {}, { name: v.name, zoneId: zone.id })).count) continue;
    const [offering] = await s.catalog.serviceOfferings(c, { name: v.offering });
    const [template] = (await s.catalog.templates(c, false, { filter: 'executable', name: v.template })).filter(
      Boolean,
    );
    if (!offering || !template) throw new Error(`manifest: VM ${v.name} names an unknown offering or template`);
    const { jobId } = await s.vms.deploy(
      c,
      {
        zoneId: zone.id,
        serviceOfferingId: offering.id,
        templateId: template.id,
        name: v.name,
        securityGroupNames: v.securityGroups,
        keyPairs: v.keyPair ? [v.keyPair] : undefined,
        userData: v.userData ? Buffer.from(v.userData).toString('base64') : undefined,
        startVm: v.start ?? true,
        transport: 'POST',
      },
      'org.apache.cloudstack.api.command.user.vm.DeployVMCmd',
    );
    const job = await s.jobs.wait(jobId);
    if (job.status !== 1) throw new Error(`manifest: VM ${v.name} did not deploy: ${job.result}`);
  }
}

/** Field names whose values are credentials, wherever they sit in a manifest. */
const SECRET = /pass(word)?$|secret|api_?key$|token$|private/i;

/** A copy of a manifest (or any plain data) with every credential replaced by a mask. */
export function maskSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(maskSecrets) as T;
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET.test(k) && v !== undefined && v !== null ? '********' : maskSecrets(v),
    ]),
  ) as T;
}
