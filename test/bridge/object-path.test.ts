// The in-process port hands fronts the answer object without writing JSON: it must be exactly what
// a client parsing handleApi's text gets, for the commands the fronts send, their errors included.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handleApi, handleApiObject } from '../../src/cloudstack/api.js';
import { double, encodeJson } from '../../src/cloudstack/encode.js';
import { plainBody } from '../../src/cloudstack/plain.js';
import { sign, type Pair } from '../../src/cloudstack/signature.js';
import { flatten, type CsParams } from '../../src/bridge/port.js';
import { LocalPort } from '../../src/bridge/local.js';
import { accountStore } from '../../src/store/account.store.js';
import { world, type World } from '../helpers/inprocess.js';

let w: World;
let creds: { apiKey: string; secretKey: string };

const signed = (command: string, params: CsParams, secret = creds.secretKey): Pair[] => {
  const pairs: Pair[] = [['command', command], ['response', 'json'], ['apiKey', creds.apiKey], ...flatten(params)];
  pairs.push(['signature', sign(pairs, secret)]);
  return pairs;
};

/** The same signed request both ways: the object path against JSON.parse of the text (its only key's value). */
async function both(command: string, params: CsParams = {}, secret?: string) {
  const pairs = signed(command, params, secret);
  const text = await handleApi(w.s, { method: 'POST', pairs, cookies: {}, origin: 'gce' });
  const parsed: unknown = Object.values(JSON.parse(text.body) as Record<string, unknown>)[0];
  const object = await handleApiObject(w.s, { method: 'POST', pairs, cookies: {}, origin: 'gce' });
  return { text: { status: text.status, body: parsed }, object };
}

before(async () => {
  w = await world({ delayMs: 0 });
  const root = (await accountStore.rootDomain(w.store.db))!;
  const u = (await accountStore.userByName(w.store.db, 'admin', root.id))!;
  creds = { apiKey: u.user.apiKey!, secretKey: u.user.secretKey! };
  const port = new LocalPort(w.s, 'gce');
  // Something in every list the fronts read: VMs with tags and NICs, a key pair, a volume, a snapshot.
  const deploy = await port.call(creds, 'deployVirtualMachine', {
    zoneid: w.zones.advanced,
    serviceofferingid: w.small,
    templateid: w.template,
    name: 'object-path',
  });
  assert.equal(deploy.status, 200, JSON.stringify(deploy.body));
  await w.clock.advance(60_000);
  const vm = (deploy.body as { id: string }).id;
  await port.call(creds, 'createTags', {
    resourceids: vm,
    resourcetype: 'UserVm',
    tags: [{ key: 'k', value: 'v' }],
  });
  await port.call(creds, 'createSSHKeyPair', { name: 'object-path-key' });
  await w.clock.advance(60_000);
});
after(() => w.close());

describe('LocalPort object path', () => {
  const commands: [string, CsParams][] = [
    ['listVirtualMachines', { listall: true }],
    ['listVirtualMachines', { listall: true, details: 'min' }],
    ['listVirtualMachines', { listall: true, page: 1, pagesize: 1 }],
    ['listVirtualMachines', { listall: true, page: 99, pagesize: 500 }],
    ['listVolumes', { listall: true }],
    ['listZones', {}],
    ['listTemplates', { templatefilter: 'executable' }],
    ['listServiceOfferings', {}],
    ['listDiskOfferings', {}],
    ['listNetworks', { listall: true }],
    ['listSecurityGroups', { listall: true }],
    ['listPublicIpAddresses', { listall: true }],
    ['listSSHKeyPairs', { listall: true }],
    ['listTags', { listall: true }],
    ['listAccounts', { listall: true }],
    ['listUsers', { listall: true }],
    ['listOsTypes', {}],
    ['listAsyncJobs', { listall: true }],
    ['listVPCs', { listall: true }],
    ['listSnapshots', { listall: true }],
    ['listRegions', {}],
    ['listHypervisors', {}],
    ['listCapacity', {}],
    ['listHosts', {}],
    ['listVirtualMachinesMetrics', { listall: true }],
    ['listVolumesMetrics', { listall: true }],
    ['listZonesMetrics', {}],
    ['listHostsMetrics', {}],
  ];
  for (const [command, params] of commands)
    it(`${command} ${JSON.stringify(params)} is what the JSON text parses to`, async () => {
      const { text, object } = await both(command, params);
      assert.equal(text.status, 200, JSON.stringify(text.body));
      assert.deepStrictEqual(object, text);
    });

  it('errors and refusals are the same objects (a missing id, a wrong signature, an unknown command)', async () => {
    for (const [command, params, secret] of [
      ['listVirtualMachines', { id: '00000000-0000-0000-0000-000000000000' }, undefined],
      ['listZones', {}, 'not-the-secret'],
      ['listNothing', {}, undefined],
      ['deployVirtualMachine', { zoneid: w.zones.advanced }, undefined],
    ] as const) {
      const { text, object } = await both(command, params, secret);
      assert.notEqual(text.status, 200);
      assert.deepStrictEqual(object, text);
    }
  });

  it('the port carries the key pair, not a signature: the answer a signed request gets, and a wrong secret refused as a wrong signature is', async () => {
    const port = new LocalPort(w.s, 'gce');
    const { text } = await both('listZones', {});
    assert.deepStrictEqual(await port.call(creds, 'listZones', {}), text);
    const refused = await both('listZones', {}, 'not-the-secret');
    assert.equal(refused.text.status, 401);
    assert.deepStrictEqual(await port.call({ ...creds, secretKey: 'not-the-secret' }, 'listZones', {}), refused.text);
    assert.deepStrictEqual(
      await port.call({ apiKey: 'no-such-key', secretKey: creds.secretKey }, 'listZones', {}),
      refused.text,
    );
    // Only the port sets the key pair: pairs off the wire with the key and no signature are refused.
    const unsigned: Pair[] = [
      ['command', 'listZones'],
      ['response', 'json'],
      ['apiKey', creds.apiKey],
    ];
    const wire = await handleApiObject(w.s, { method: 'POST', pairs: unsigned, cookies: {} });
    assert.equal(wire.status, 401);
  });

  it('with the list cache on, a second call gets an equal answer the caller may change freely', async () => {
    w.s.settings.responseCache = true;
    try {
      const port = new LocalPort(w.s, 'gce');
      const first = await port.call(creds, 'listVirtualMachines', { listall: true });
      const vms = (first.body as { virtualmachine: Record<string, unknown>[] }).virtualmachine;
      vms[0]!['name'] = 'changed by the caller';
      const second = await port.call(creds, 'listVirtualMachines', { listall: true });
      const { text } = await both('listVirtualMachines', { listall: true });
      assert.deepStrictEqual(second, text);
    } finally {
      w.s.settings.responseCache = false;
    }
  });

  it('plainBody writes values as JSON does: doubles, undefined, dates, non-finite numbers, __proto__', () => {
    const body: Record<string, unknown> = {
      d: double(4000),
      big: double(1.2e7),
      inf: double(Infinity),
      nan: Number.NaN,
      negzero: -0,
      gone: undefined,
      arr: [undefined, 1, double(0.5), () => 1],
      when: new Date(0),
      nested: { a: { b: [{ c: undefined, d: 'x' }] } },
    };
    Object.defineProperty(body, '__proto__', { value: { polluted: true }, enumerable: true });
    const viaText = (JSON.parse(encodeJson('r', body)) as { r: unknown }).r;
    assert.deepStrictEqual(plainBody(body), viaText);
    assert.equal(Object.getPrototypeOf(plainBody(body)), Object.prototype);
  });
});
