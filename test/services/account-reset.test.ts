import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StateService } from '../../src/services/operations/state.service.js';
import { seed } from '../../src/services/seed.js';
import { finish, world, type World } from '../helpers/inprocess.js';

describe('resetting one account', () => {
  let w: World;
  before(async () => {
    w = await world({ delayMs: 0 });
  });
  after(() => w.close());

  it('gives its host capacity, public addresses and VLANs back, and keeps everyone else', async () => {
    const acct = await w.s.accounts.createAccount(w.admin, {
      accountName: 'gone',
      username: 'gone',
      password: 'pw',
      email: 'g@x',
      firstname: 'g',
      lastname: 'o',
    });
    const asTenant = { ...w.admin, accountId: acct.id, accountName: 'gone', accountType: 0 as const };
    const deploy = async (caller: typeof w.admin) => {
      const { jobId } = await w.s.vms.deploy(
        caller,
        {
          zoneId: w.zones.advanced,
          serviceOfferingId: w.small,
          templateId: w.template,
          startVm: true,
          transport: 'GET',
        },
        't',
      );
      assert.equal((await finish(w, jobId)).status, 1);
    };
    await deploy(asTenant);
    await deploy(w.admin);
    const held = async () => {
      const hosts = await w.store.db.selectFrom('hosts').select(['memoryUsed']).execute();
      return hosts.reduce((a, h) => a + Number(h.memoryUsed), 0);
    };
    assert.equal(await held(), 2 * 512 * 1024 * 1024);
    const state = new StateService(w.store, w.clock, w.s.jobs, w.s.config, w.s.groups, () =>
      seed(w.store, { now: w.clock.now() }),
    );
    await state.resetAccount(acct.id);
    assert.equal(await held(), 512 * 1024 * 1024, "only the admin's VM holds memory");
    const ips = await w.store.db.selectFrom('publicIps').select(['accountId']).where('state', '!=', 'Free').execute();
    assert.ok(
      ips.every((ip) => ip.accountId !== acct.id),
      'its source-NAT address is free again',
    );
    const vlans = await w.store.db.selectFrom('guestVlans').selectAll().execute();
    assert.equal(vlans.length, 1, "only the admin's network keeps its VLAN");
    const vms = await w.store.db.selectFrom('vms').select(['accountId']).execute();
    assert.deepEqual(
      vms.map((v) => v.accountId),
      [w.admin.accountId],
    );
  });
});
