import { GceApi, type GceReply } from './gce.client.js';
import { eq, fields, match, ok, Skip, type Scenario, type Suite, type Target } from './scenario.js';

interface Gce {
  t: Target;
  api: GceApi;
  zone: string;
}

/** Google's error shape: {error: {code, message, errors: [{domain, reason, message}]}} with HTTP status = code. */
function gceError(where: string, r: GceReply, code: number, reason: string, message?: string | RegExp): void {
  eq(`${where} HTTP status`, r.status, code);
  eq(`${where} error.code`, r.body?.error?.code, code);
  eq(`${where} error.errors[0].reason`, r.body?.error?.errors?.[0]?.reason, reason);
  if (typeof message === 'string') eq(`${where} error.message`, r.body?.error?.message, message);
  else if (message) match(`${where} error.message`, r.body?.error?.message, message);
}

async function prepare(t: Target): Promise<Gce> {
  const api = new GceApi(t.url, t.project ?? 'admin');
  const token = await api.tokenFor(t.apiKey, t.secretKey);
  ok('token access_token', token.status === 200 && token.body?.access_token, 'a token for the key pair', token.body);
  api.token = token.body.access_token;
  const zones = ((await api.ok('GET', 'zones')).items ?? []).map((z: any) => z.name as string);
  const zone = t.zone ?? zones.find((z: string) => /basic/.test(z)) ?? zones[0];
  if (!zone) throw new Skip('the endpoint lists no zones');
  return { t, api, zone };
}

async function image(api: GceApi, t: Target): Promise<string | undefined> {
  if (t.template) return t.template;
  const own = ((await api.ok('GET', 'global/images')).items ?? []) as any[];
  const ready = own.find((i) => i.status === 'READY');
  return ready?.selfLink ? `global/images/${ready.name}` : undefined;
}

const scenarios: Scenario<Gce>[] = [
  {
    id: 'token.refused',
    title: 'the token endpoint refuses a wrong client secret with invalid_client',
    run: async ({ api, t }) => {
      const r = await api.tokenFor(t.apiKey, 'not-the-secret');
      eq('token HTTP status', r.status, 401);
      eq('token error', r.body?.error, 'invalid_client');
    },
  },
  {
    id: 'auth.missing',
    title: 'a call without a token is 401 with reason required',
    run: async ({ api }) =>
      gceError(
        'GET zones',
        await api.call('GET', 'zones', undefined, null),
        401,
        'required',
        /missing required authentication credential/,
      ),
  },
  {
    id: 'zones.list',
    title: 'zones.list answers a compute#zoneList of UP zones',
    run: async ({ api }) => {
      const r = await api.ok('GET', 'zones');
      eq('kind', r.kind, 'compute#zoneList');
      ok('items', Array.isArray(r.items) && r.items.length > 0, 'at least one zone', r.items);
      for (const [i, z] of (r.items as any[]).entries()) {
        fields(`items[${i}]`, z, ['kind', 'id', 'name', 'status', 'selfLink', 'region']);
        eq(`items[${i}].kind`, z.kind, 'compute#zone');
        eq(`items[${i}].status`, z.status, 'UP');
        match(`items[${i}].selfLink`, z.selfLink, /\/compute\/v1\/projects\/[^/]+\/zones\/[^/]+$/);
        eq(`items[${i}].selfLink`, z.selfLink.slice(z.selfLink.lastIndexOf('/') + 1), z.name);
      }
    },
  },
  {
    id: 'machinetypes.list',
    title: 'machineTypes.list answers compute#machineType items with guestCpus and memoryMb',
    run: async ({ api, zone }) => {
      const r = await api.ok('GET', `zones/${zone}/machineTypes`);
      eq('kind', r.kind, 'compute#machineTypeList');
      const m = r.items?.[0];
      fields('items[0]', m, ['kind', 'name', 'guestCpus', 'memoryMb', 'zone']);
      ok('items[0].guestCpus', Number.isInteger(m.guestCpus) && m.guestCpus > 0, 'a positive integer', m.guestCpus);
    },
  },
  {
    id: 'instance.not-found',
    title: "an instance that does not exist is 404 notFound with Google's text",
    run: async ({ api, zone }) =>
      gceError(
        'GET instance',
        await api.call('GET', `zones/${zone}/instances/no-such-instance`),
        404,
        'notFound',
        `The resource 'projects/${api.project}/zones/${zone}/instances/no-such-instance' was not found`,
      ),
  },
  {
    id: 'firewall.lifecycle',
    title: 'insert a firewall (an Operation to DONE), refuse a duplicate, get it, delete it',
    run: async ({ api, t }, s) => {
      const name = `conformance-${s.suffix}`;
      const body = {
        name,
        network: 'global/networks/default',
        sourceRanges: ['10.0.0.0/8'],
        allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
      };
      s.step('firewalls.insert');
      const op = await api.ok('POST', 'global/firewalls', body);
      eq('operation kind', op.kind, 'compute#operation');
      eq('operation operationType', op.operationType, 'insert');
      s.defer(() => api.call('DELETE', `global/firewalls/${name}`));
      await api.done(op, t.timeoutMs);
      s.step('duplicate');
      gceError(
        'insert again',
        await api.call('POST', 'global/firewalls', body),
        409,
        'alreadyExists',
        `The resource 'projects/${api.project}/global/firewalls/${name}' already exists`,
      );
      s.step('firewalls.get');
      const fw = await api.ok('GET', `global/firewalls/${name}`);
      eq(
        'firewall',
        { kind: fw.kind, sourceRanges: fw.sourceRanges, allowed: fw.allowed },
        { kind: 'compute#firewall', sourceRanges: ['10.0.0.0/8'], allowed: [{ IPProtocol: 'tcp', ports: ['22'] }] },
      );
      s.step('firewalls.delete');
      await api.done(await api.ok('DELETE', `global/firewalls/${name}`), t.timeoutMs);
      eq('get after delete HTTP status', (await api.call('GET', `global/firewalls/${name}`)).status, 404);
    },
  },
  {
    id: 'instance.lifecycle',
    title: 'insert an instance (RUNNING), stop it (TERMINATED), delete it',
    run: async ({ api, t, zone }, s) => {
      const img = await image(api, t);
      if (!img) throw new Skip('no READY image in the project');
      const types = ((await api.ok('GET', `zones/${zone}/machineTypes`)).items ?? []) as any[];
      const type = t.offering
        ? types.find((m) => m.name === t.offering)
        : [...types].sort((a, b) => a.memoryMb - b.memoryMb)[0];
      if (!type) throw new Skip('no machine type');
      const name = `conformance-${s.suffix}`;
      s.step('instances.insert');
      const op = await api.ok('POST', `zones/${zone}/instances`, {
        name,
        machineType: `zones/${zone}/machineTypes/${type.name}`,
        disks: [{ boot: true, initializeParams: { sourceImage: img } }],
        networkInterfaces: [{ network: 'global/networks/default' }],
      });
      s.defer(() => api.call('DELETE', `zones/${zone}/instances/${name}`));
      eq('operation operationType', op.operationType, 'insert');
      await api.done(op, t.timeoutMs);
      const vm = await api.ok('GET', `zones/${zone}/instances/${name}`);
      eq('instance status', vm.status, 'RUNNING');
      match('networkInterfaces[0].networkIP', vm.networkInterfaces?.[0]?.networkIP, /^\d+\.\d+\.\d+\.\d+$/);
      s.step('instances.stop');
      await api.done(await api.ok('POST', `zones/${zone}/instances/${name}/stop`), t.timeoutMs);
      eq('status after stop', (await api.ok('GET', `zones/${zone}/instances/${name}`)).status, 'TERMINATED');
      s.step('instances.delete');
      await api.done(await api.ok('DELETE', `zones/${zone}/instances/${name}`), t.timeoutMs);
      eq('get after delete HTTP status', (await api.call('GET', `zones/${zone}/instances/${name}`)).status, 404);
    },
  },
];

export const gceSuite: Suite<Gce> = { front: 'gce', prepare, scenarios };
