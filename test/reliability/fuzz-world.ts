import Fastify, { type FastifyInstance } from 'fastify';
import { LocalPort } from '../../src/bridge/local.js';
import type { Credentials } from '../../src/bridge/port.js';
import { registerCloudStackApi } from '../../src/cloudstack/api.js';
import { registerEc2 } from '../../src/ec2/router.js';
import { Ec2Store } from '../../src/ec2/store.js';
import { registerGce } from '../../src/gce/router.js';
import { GceStore } from '../../src/gce/store/store.js';
import { resolveConfig } from '../../src/server/config.js';
import { createLogger, registerHttpGuards, serverOptions } from '../../src/server/http.js';
import { accountStore } from '../../src/store/account.store.js';
import { sign } from '../helpers/cs-client.js';
import { sigv4 } from '../helpers/ec2-sign.js';
import { world, type World } from '../helpers/inprocess.js';
import { bigDatacenters } from './harness.js';

/** Form encoding; text no URI encoder accepts (a lone surrogate) goes out as U+FFFD, as a UTF-8 client would send it. */
export const enc = (v: string): string => encodeURIComponent((v as string & { toWellFormed(): string }).toWellFormed());
const wire = (pairs: [string, string][]): string => pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');

/**
 * Written by requests whatever their outcome: a job row records a command that was accepted and
 * then failed inside a front's translation, events record attempts, and the EC2 front's id table
 * caches ids that are a pure function of CloudStack ids (ids.ts).
 */
const NOT_STATE = new Set(['cloud.jobs', 'cloud.events', 'ec2.ids']);

export const ADMIN_TOKEN = 'fuzz-admin-token';
export const TENANT_TOKEN = 'fuzz-tenant-token';

export interface Answer {
  status: number;
  body: string;
}

/**
 * All three fronts in this process over one seeded cloud on big hosts, behind the same HTTP
 * guards as `polystack serve`, driven with fastify's inject: the fuzzers' target. Every store
 * (the cloud's and each front's own) has a write counter, so a refused request can be checked
 * to have written nothing at all; errors the fronts log as unexpected are collected.
 */
export interface FuzzWorld {
  w: World;
  app: FastifyInstance;
  admin: Credentials;
  tenant: Credentials & { account: string };
  unexpected: string[];
  /** The fronts' own stores. */
  ec2Store: Ec2Store;
  gceStore: GceStore;
  /** Another user account with a key pair and a GCE dev token (`<name>-token`). */
  addTenant(name: string): Promise<Credentials & { account: string; accountId: string; token: string }>;
  /** Writes so far per table of the three stores (cloud.*, ec2.*, gce.*). */
  writes(): Map<string, number>;
  /** Tables written since `before`, leaving out the record of attempts (jobs, events) and the EC2 id cache. */
  changed(before: Map<string, number>): string[];
  cs(creds: Credentials, params: [string, string][], method: 'GET' | 'POST'): Promise<Answer>;
  /** A signed CloudStack request with `tail` appended to its query or body as it is, not encoded: what no encoder sends. */
  csTail(creds: Credentials, params: [string, string][], tail: string, method: 'GET' | 'POST'): Promise<Answer>;
  ec2(creds: Credentials, params: [string, string][]): Promise<Answer>;
  /** An EC2 request whose form body is `body` exactly, signed as it stands; `query`, if any, goes on the URL as it is. */
  ec2Body(creds: Credentials, body: string, query?: string): Promise<Answer>;
  /** Any request, as given. */
  raw(method: string, url: string, headers: Record<string, string>, payload?: string): Promise<Answer>;
  gce(token: string, method: string, url: string, body?: string): Promise<Answer>;
  /** Runs every pending job to its end on the manual clock. */
  drain(): Promise<void>;
  /** Gives back public addresses, VMs and networks that accepted requests piled up, so the cloud never runs out. */
  keepRoom(): Promise<void>;
  /** Puts back the admin's and the tenant's keys when an accepted request (registerUserKeys, updateUser) changed them. */
  restoreKeys(): Promise<void>;
  close(): Promise<void>;
}

export async function fuzzWorld(): Promise<FuzzWorld> {
  const w = await world({ delayMs: 0, datacenters: bigDatacenters() });
  const root = (await accountStore.rootDomain(w.store.db))!;
  const a = (await accountStore.userByName(w.store.db, 'admin', root.id))!;
  const admin = { apiKey: a.user.apiKey!, secretKey: a.user.secretKey! };
  await w.s.accounts.createAccount(w.admin, {
    accountName: 'fuzz-tenant',
    username: 'fuzz-tenant',
    password: 'pw',
    email: 't@x',
    firstname: 't',
    lastname: 't',
    accountType: 0,
  });
  const t = (await accountStore.userByName(w.store.db, 'fuzz-tenant', root.id))!;
  const tenant = { apiKey: 'fuzz-tenant-api-key', secretKey: 'fuzz-tenant-secret-key', account: 'fuzz-tenant' };
  await w.s.accounts.setUserKeys(w.admin, t.user.id, { apiKey: tenant.apiKey, secretKey: tenant.secretKey });

  const limits = resolveConfig({}, {}).limits;
  const app = Fastify({ logger: false, ...serverOptions(limits) });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const unexpected: string[] = [];
  const log = (msg: string, err: unknown) =>
    unexpected.push(`${msg}: ${err instanceof Error ? err.stack : String(err)}`);
  registerHttpGuards(app, { ...limits, handlerTimeoutMs: 0 }, createLogger('silent'));
  registerCloudStackApi(app, w.s);
  const ec2Store = await Ec2Store.open(':memory:');
  registerEc2(app, { port: new LocalPort(w.s, 'ec2'), store: ec2Store, clock: w.clock, log });
  const gceStore = await GceStore.open(':memory:');
  const devTokens = new Map<string, Credentials>([
    [ADMIN_TOKEN, admin],
    [TENANT_TOKEN, tenant],
  ]);
  registerGce(app, new LocalPort(w.s, 'gce'), { store: gceStore, clock: w.clock, log, devTokens });
  await app.ready();
  const origError = w.s.log.error.bind(w.s.log);
  // The CloudStack pipeline logs what it did not expect through the services' logger.
  w.s.log.error = ((obj: unknown, msg?: string) => {
    unexpected.push(`${msg ?? ''}: ${(obj as { err?: Error })?.err?.stack ?? JSON.stringify(obj)}`);
    return origError(obj as object, msg);
  }) as typeof w.s.log.error;

  const writes = () => {
    const all = new Map<string, number>();
    for (const [prefix, counts] of [
      ['cloud', w.store.writesByTable()],
      ['ec2', ec2Store.writesByTable()],
      ['gce', gceStore.writesByTable()],
    ] as const)
      for (const [t, n] of counts) all.set(`${prefix}.${t}`, n);
    return all;
  };
  const answer = (r: { statusCode: number; body: string }): Answer => ({ status: r.statusCode, body: r.body });
  const fw: FuzzWorld = {
    w,
    app,
    admin,
    tenant,
    unexpected,
    ec2Store,
    gceStore,
    writes,
    async addTenant(name) {
      const account = await w.s.accounts.createAccount(w.admin, {
        accountName: name,
        username: name,
        password: 'pw',
        email: `${name}@x`,
        firstname: name,
        lastname: 't',
        accountType: 0,
      });
      const u = (await accountStore.userByName(w.store.db, name, root.id))!;
      const keys = { apiKey: `${name}-api-key`, secretKey: `${name}-secret-key` };
      await w.s.accounts.setUserKeys(w.admin, u.user.id, keys);
      devTokens.set(`${name}-token`, keys);
      return { ...keys, account: name, accountId: account.id, token: `${name}-token` };
    },
    changed(before) {
      return [...writes()]
        .filter(([t, n]) => n !== (before.get(t) ?? 0) && !NOT_STATE.has(t))
        .map(([t, n]) => `${t} +${n - (before.get(t) ?? 0)}`);
    },
    async cs(creds, params, method) {
      const pairs = sign([...params, ['apiKey', creds.apiKey]], creds.secretKey);
      if (method === 'GET') return answer(await app.inject({ method: 'GET', url: `/client/api?${wire(pairs)}` }));
      return answer(
        await app.inject({
          method: 'POST',
          url: '/client/api',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: wire(pairs),
        }),
      );
    },
    async csTail(creds, params, tail, method) {
      const signed = `${wire(sign([...params, ['apiKey', creds.apiKey]], creds.secretKey))}&${tail}`;
      if (method === 'GET') return answer(await app.inject({ method: 'GET', url: `/client/api?${signed}` }));
      return answer(
        await app.inject({
          method: 'POST',
          url: '/client/api',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: signed,
        }),
      );
    },
    async raw(method, url, headers, payload) {
      return answer(await app.inject({ method: method as 'GET', url, headers, payload }));
    },
    ec2(creds, params) {
      return fw.ec2Body(creds, wire(params));
    },
    async ec2Body(creds, body, query) {
      const headers = sigv4(new URL('http://localhost'), body, creds.apiKey, creds.secretKey, new Date(w.clock.now()));
      return answer(
        await app.inject({ method: 'POST', url: query === undefined ? '/' : `/?${query}`, headers, payload: body }),
      );
    },
    async gce(token, method, url, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      return answer(await app.inject({ method: method as 'GET', url, headers, payload: body }));
    },
    async drain() {
      for (;;) {
        const pending = await w.store.db.selectFrom('jobs').select('id').where('status', '=', 0).executeTakeFirst();
        if (!pending && w.s.jobs.running === 0) return;
        if (w.clock.waiting > 0) w.clock.advance(1000);
        await new Promise((r) => setTimeout(r, 1));
      }
    },
    async keepRoom() {
      const db = w.store.db;
      const call = (command: string, id: string, extra: [string, string][] = []) =>
        fw.cs(admin, [['command', command], ['response', 'json'], ['id', id], ...extra], 'POST');
      const ips = await db
        .selectFrom('publicIps')
        .select('id')
        .where('state', '=', 'Allocated')
        .where('isSourceNat', '=', 0)
        .execute();
      if (ips.length > 100) for (const ip of ips) await call('disassociateIpAddress', ip.id);
      const vms = await db.selectFrom('vms').select('id').where('removed', 'is', null).execute();
      if (vms.length > 100) for (const vm of vms) await call('destroyVirtualMachine', vm.id, [['expunge', 'true']]);
      await fw.drain();
      const nets = await db
        .selectFrom('networks')
        .select('id')
        .where('removed', 'is', null)
        .where('accountId', 'is not', null)
        .execute();
      if (nets.length > 50) for (const n of nets) await call('deleteNetwork', n.id, [['forced', 'true']]);
      await fw.drain();
    },
    async restoreKeys() {
      for (const [name, keys] of [
        ['admin', admin],
        ['fuzz-tenant', tenant],
      ] as const) {
        const u = await accountStore.userByName(w.store.db, name, root.id);
        // A fuzzed request may also have renamed, disabled or removed the user; only rotated keys are put back.
        if (u && (u.user.apiKey !== keys.apiKey || u.user.secretKey !== keys.secretKey))
          await w.s.accounts.setUserKeys(w.admin, u.user.id, { apiKey: keys.apiKey, secretKey: keys.secretKey });
      }
    },
    async close() {
      await app.close();
      await ec2Store.close();
      await gceStore.close();
      await w.close();
    },
  };
  return fw;
}
