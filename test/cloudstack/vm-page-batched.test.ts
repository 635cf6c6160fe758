// A page of VMs is read as a fixed number of statements (each neighbour table once for the page, ids
// checked once per kind), and what it shows of each VM is what that VM shows when it is listed alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, finish, world, type Api, type World } from '../helpers/inprocess.js';

describe('a page of listVirtualMachines', () => {
  let w: World;
  let api: Api;
  let ids: string[] = [];
  before(async () => {
    w = await world({ delayMs: 0 });
    // Every page read from the database, not from the answer cache.
    w.s.settings.responseCache = false;
    api = await apiSession(w);
    const root = (await api('listDomains', { name: 'ROOT' })).body.domain[0].id as string;
    // VMs of several owners, in a basic zone (security groups) and an advanced one (NICs of their networks).
    const owners = ['admin'];
    for (const name of ['page-a', 'page-b', 'page-c']) {
      const r = await api('createAccount', {
        account: name,
        username: name,
        password: 'pw',
        email: `${name}@x`,
        firstname: name,
        lastname: name,
        accounttype: 0,
        domainid: root,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      owners.push(name);
    }
    for (const [i, account] of owners.entries())
      for (const zone of [w.zones.basic, w.zones.advanced]) {
        const r = await api('deployVirtualMachine', {
          zoneid: zone,
          serviceofferingid: w.small,
          templateid: w.template,
          account,
          domainid: root,
          name: `page-${i}-${zone === w.zones.basic ? 'b' : 'a'}`,
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal((await finish(w, r.body.jobid)).status, 1);
        ids.push(r.body.id);
        await api('createTags', {
          resourceids: r.body.id,
          resourcetype: 'UserVm',
          'tags[0].key': 'owner',
          'tags[0].value': account,
          'tags[1].key': 'n',
          'tags[1].value': String(i),
        });
      }
  });
  after(() => w.close());

  const statements = async (params: Record<string, string | number>) => {
    const before = w.store.queries();
    const r = await api('listVirtualMachines', { listall: true, ...params });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return { n: w.store.queries() - before, vms: r.body.virtualmachine as Record<string, unknown>[] };
  };

  it('costs as many statements for eight VMs of four owners as for one', async () => {
    // The first request of a session reads what later ones find cached (the caller, its role).
    await statements({ page: 1, pagesize: 1 });
    const one = await statements({ page: 1, pagesize: 1 });
    const eight = await statements({ page: 1, pagesize: 8 });
    assert.equal(one.vms.length, 1);
    assert.equal(eight.vms.length, 8);
    assert.equal(new Set(eight.vms.map((v) => v['account'])).size, 4);
    assert.equal(eight.n, one.n);
  });

  it('checks an ids list of any length with the same statements as a list of one', async () => {
    const one = await statements({ ids: ids[0]! });
    const all = await statements({ ids: ids.join(',') });
    assert.equal(all.vms.length, ids.length);
    assert.equal(all.n, one.n);
  });

  it('shows each VM as it shows it alone: owner, tags, NICs, security groups', async () => {
    const page = (await api('listVirtualMachines', { listall: true })).body.virtualmachine as Record<string, unknown>[];
    assert.equal(page.length, ids.length);
    for (const vm of page) {
      const alone = (await api('listVirtualMachines', { id: vm['id'] as string })).body.virtualmachine[0];
      assert.deepStrictEqual(vm, alone);
      assert.equal((vm['tags'] as unknown[]).length, 2);
      assert.ok((vm['nic'] as unknown[]).length >= 1);
    }
    assert.ok(page.some((vm) => (vm['securitygroup'] as unknown[]).length > 0));
  });
});
