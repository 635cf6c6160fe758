import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { created, deploy, refused, tenant } from '../helpers/networking.js';

describe('network permissions: an isolated network shared with another account', () => {
  let w: World;
  let admin: Api;
  let owner: Api;
  let other: Api;
  let net: any;
  let otherId: string;
  let ownerId: string;

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    owner = await tenant(w, admin, 'np-owner');
    other = await tenant(w, admin, 'np-other');
    otherId = (await other('listAccounts', {})).body.account[0].id;
    ownerId = (await owner('listAccounts', {})).body.account[0].id;
    const offering = (
      await admin('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' })
    ).body.networkoffering[0].id;
    const r = await owner('createNetwork', {
      zoneid: w.zones.advanced,
      name: 'np-net',
      displaytext: 'np-net',
      networkofferingid: offering,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    net = r.body.network;
  });
  after(() => w.close());

  const sees = async (api: Api, filter?: string): Promise<boolean> =>
    ((await api('listNetworks', { id: net.id, ...(filter ? { networkfilter: filter } : {}) })).body.network ?? [])
      .length > 0;

  it('before sharing, the other account neither lists nor deploys on it', async () => {
    assert.equal(await sees(other), false);
    await refused(
      w,
      other,
      'deployVirtualMachine',
      { zoneid: w.zones.advanced, serviceofferingid: w.small, templateid: w.template, networkids: net.id },
      531,
      `Account 'np-other' does not have permission to operate with resource Network ${net.id}`,
    );
  });

  it('only the owner (or an admin) may share it; the other account may not share it with itself', async () => {
    await refused(
      w,
      other,
      'createNetworkPermissions',
      { networkid: net.id, accountids: otherId },
      531,
      /does not have permission/,
    );
    const r = await owner('createNetworkPermissions', { networkid: net.id, accountids: otherId });
    assert.equal(r.body.success, true, JSON.stringify(r.body));
    // The owner itself gets no row: it may use its network anyway.
    assert.equal(
      (await owner('createNetworkPermissions', { networkid: net.id, accountids: ownerId })).body.success,
      true,
    );
    const perms = (await owner('listNetworkPermissions', { networkid: net.id })).body.networkpermission;
    assert.deepEqual(
      perms.map((p: any) => [p.networkid, p.accountid, p.account]),
      [[net.id, otherId, 'np-other']],
    );
  });

  it('once shared the other account lists it under shared and all, not account; and deploys a VM on it', async () => {
    assert.deepEqual(
      [
        await sees(other, 'account'),
        await sees(other, 'domain'),
        await sees(other, 'shared'),
        await sees(other, 'all'),
        await sees(other),
      ],
      [false, false, true, true, true],
    );
    assert.deepEqual([await sees(owner, 'account'), await sees(owner, 'shared')], [true, false]);
    const vm = await deploy(w, other, w.zones.advanced, { networkids: net.id });
    assert.equal(vm.nic[0].networkid, net.id);
    assert.equal(vm.account, 'np-other');
  });

  it('removeNetworkPermissions and resetNetworkPermissions take the sharing back', async () => {
    assert.equal(
      (await owner('removeNetworkPermissions', { networkid: net.id, accountids: otherId })).body.success,
      true,
    );
    assert.equal(await sees(other), false);
    await owner('createNetworkPermissions', { networkid: net.id, accounts: 'np-other' });
    assert.equal(await sees(other, 'shared'), true);
    assert.equal((await owner('resetNetworkPermissions', { networkid: net.id })).body.success, true);
    assert.deepEqual((await owner('listNetworkPermissions', { networkid: net.id })).body, {});
    assert.equal(await sees(other), false);
  });

  it("a project's network cannot be shared outside it", async () => {
    const project = (await created(w, owner, 'createProject', { name: 'np-proj', displaytext: 'p' })).job.jobresult
      .project;
    const offering = (
      await admin('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' })
    ).body.networkoffering[0].id;
    const pnet = (
      await owner('createNetwork', {
        zoneid: w.zones.advanced,
        name: 'p-net',
        displaytext: 'p-net',
        networkofferingid: offering,
        projectid: project.id,
      })
    ).body.network;
    await refused(
      w,
      admin,
      'createNetworkPermissions',
      { networkid: pnet.id, accountids: otherId },
      431,
      'Update network permissions is an invalid operation on network p-net. Project owned networks cannot be shared outside network.',
    );
  });
});
