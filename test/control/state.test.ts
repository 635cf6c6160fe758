import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';

const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;

describe('/_polystack reset and state', () => {
  let s: TestServer;
  let admin: HttpSession;
  let ids: { zone: string; offering: string; template: string };
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    admin = await httpLogin(s.endpoint);
    ids = {
      zone: (await admin.call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0].id,
      offering: (await admin.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id,
      template: (
        await admin.call('listTemplates', { templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })
      ).body.template[0].id,
    };
  });
  after(() => s.stop());

  const control = async (method: 'GET' | 'POST', path: string, body?: unknown, raw?: string) => {
    const r = await fetch(`${s.url}/_polystack/${path}`, {
      method,
      headers: { authorization: BASIC, ...(body !== undefined || raw ? { 'content-type': 'application/json' } : {}) },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: r.status, body: await r.json() };
  };
  const waitJob = async (cs: HttpSession, jobid: string) => {
    for (;;) {
      const j = (await cs.call('queryAsyncJobResult', { jobid })).body;
      if (j.jobstatus !== 0) return j;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const deploy = async (cs: HttpSession, name: string) => {
    const d = await cs.call('deployVirtualMachine', {
      zoneid: ids.zone,
      serviceofferingid: ids.offering,
      templateid: ids.template,
      name,
    });
    assert.equal((await waitJob(cs, d.body.jobid)).jobstatus, 1);
    return d.body.id as string;
  };
  /** What a user would compare: every listing, by id, with the fields that carry state. */
  const view = async () => {
    const cs = await httpLogin(s.endpoint);
    const pick = (items: any[] | undefined, keys: string[]) =>
      (items ?? [])
        .map((i) => Object.fromEntries(keys.map((k) => [k, i[k]])))
        .sort((a, b) => String(a.id).localeCompare(String(b.id)));
    return {
      vms: pick((await cs.call('listVirtualMachines', { listall: 'true' })).body.virtualmachine, [
        'id',
        'name',
        'state',
        'account',
        'ipaddress',
        'hostid',
      ]),
      accounts: pick((await cs.call('listAccounts', { listall: 'true' })).body.account, ['id', 'name', 'state']),
      groups: pick((await cs.call('listSecurityGroups', { listall: 'true' })).body.securitygroup, [
        'id',
        'name',
        'account',
      ]),
      keys: pick((await cs.call('listSSHKeyPairs', { listall: 'true' })).body.sshkeypair, [
        'id',
        'name',
        'fingerprint',
      ]),
      ips: pick((await cs.call('listPublicIpAddresses', { listall: 'true' })).body.publicipaddress, [
        'id',
        'ipaddress',
        'state',
      ]),
    };
  };

  it('export, reset, import gives back an identical cloud', async () => {
    const a = await admin.call('createAccount', {
      account: 'tenant',
      username: 'tenant',
      password: 'secret',
      email: 't@example.com',
      firstname: 't',
      lastname: 'u',
      accounttype: '0',
    });
    assert.equal(a.status, 200);
    const tenant = await httpLogin(s.endpoint, 'tenant', 'secret');
    await deploy(tenant, 'tenant-vm');
    await deploy(admin, 'admin-vm');
    await admin.call('createSSHKeyPair', { name: 'keep-me' });
    const before = await view();
    assert.equal(before.vms.length, 2);
    const snap = await control('GET', 'state');
    assert.equal(snap.status, 200);
    assert.equal(snap.body.format, 'polystack-state');

    const reset = await control('POST', 'reset', {});
    assert.equal(reset.status, 200);
    const empty = await view();
    assert.equal(empty.vms.length, 0);
    assert.deepEqual(empty.accounts.map((x) => x.name).sort(), ['admin', 'system']);

    assert.equal((await control('POST', 'state', snap.body)).status, 200);
    assert.deepEqual(await view(), before);
  });

  it('resetting one account leaves the others untouched', async () => {
    const before = await view();
    const r = await control('POST', 'reset', { account: 'tenant' });
    assert.equal(r.status, 200);
    const after = await view();
    assert.deepEqual(before.vms.map((v) => v.name).sort(), ['admin-vm', 'tenant-vm']);
    assert.deepEqual(
      after.vms.map((v) => v.name),
      ['admin-vm'],
    );
    assert.deepEqual(after.keys, before.keys);
    assert.ok(
      after.accounts.some((x) => x.name === 'tenant'),
      'the account itself stays',
    );
    assert.ok(
      after.groups.some((g) => g.account === 'tenant' && g.name === 'default'),
      'with a fresh default group',
    );
    assert.equal((await control('POST', 'reset', { account: 'nobody' })).status, 404);
  });

  it('refuses truncated, edited and newer snapshots, and the cloud stays as it was', async () => {
    const before = await view();
    const snap = (await control('GET', 'state')).body;
    const text = JSON.stringify(snap);
    assert.equal((await control('POST', 'state', undefined, text.slice(0, text.length / 2))).status, 400);
    const edited = structuredClone(snap);
    edited.tables.vms = [];
    const e = await control('POST', 'state', edited);
    assert.equal(e.status, 400);
    assert.match(e.body.error.message, /checksum/);
    const newer = await control('POST', 'state', { ...snap, version: 99 });
    assert.equal(newer.status, 400);
    assert.match(newer.body.error.message, /newer/);
    assert.deepEqual(await view(), before);
  });

  it('loads a snapshot from an older polystack that lacked later tables', async () => {
    const before = await view();
    const snap = (await control('GET', 'state')).body;
    // Affinity groups came with migration 006: an older snapshot has neither the tables nor the migration.
    const older = structuredClone(snap);
    delete older.tables.affinityGroups;
    delete older.tables.vmAffinityGroups;
    older.migrations = older.migrations.filter((m: string) => !m.startsWith('006'));
    const { createHash } = await import('node:crypto');
    older.checksum = createHash('sha256').update(JSON.stringify(older.tables)).digest('hex');
    assert.equal((await control('POST', 'state', older)).status, 200);
    assert.deepEqual(await view(), before);
  });
});
