import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { refused } from '../helpers/networking.js';
import { rootDiskBytes } from '../../src/domain/rootdisk.js';

const GiB = 1024 ** 3;

/** deployVirtualMachine rootdisksize: UserVmManagerImpl.configureCustomRootDiskSize and validateRootDiskResize. */
describe('deployVirtualMachine rootdisksize', () => {
  let w: World;
  let api: Api;
  let templateSize = 0;
  before(async () => {
    w = await world({ delayMs: 0 });
    api = await apiSession(w);
    templateSize = (await api('listTemplates', { templatefilter: 'featured', id: w.template })).body.template[0].size;
  });
  after(() => w.close());

  const base = () => ({ zoneid: w.zones.advanced, serviceofferingid: w.small, templateid: w.template });
  const rootOf = async (vmId: string) =>
    (await api('listVolumes', { virtualmachineid: vmId, type: 'ROOT' })).body.volume[0];

  it('refuses 0, a negative size, and an unparsable details[0].rootdisksize, leaving nothing behind', async () => {
    for (const size of [0, -3])
      await refused(
        w,
        api,
        'deployVirtualMachine',
        { ...base(), rootdisksize: size },
        431,
        'Root disk size should be a positive number.',
      );
    await refused(
      w,
      api,
      'deployVirtualMachine',
      { ...base(), 'details[0].rootdisksize': 'big' },
      431,
      'Root disk size should be a positive number.',
    );
  });

  it("lists the seeded CentOS template at the 2 GiB the simulator's secondary storage reports", () => {
    assert.equal(templateSize, 2 * GiB);
  });

  it('refuses a size below the seeded template through the API, leaving nothing behind', async () => {
    await refused(
      w,
      api,
      'deployVirtualMachine',
      { ...base(), rootdisksize: 1 },
      431,
      'Unsupported: rootdisksize override (1 GB) is smaller than template size 2147483648 (2.00 GB)',
    );
  });

  it('refuses a size below the template with the template size in bytes and readable; a positive offering size wins', () => {
    const templateSize = 2.5 * GiB;
    assert.throws(() => rootDiskBytes({ hypervisor: 'Simulator', requestedGb: 2, templateSize }), {
      message: 'Unsupported: rootdisksize override (2 GB) is smaller than template size 2684354560 (2.50 GB)',
    });
    assert.equal(rootDiskBytes({ hypervisor: 'KVM', requestedGb: 3, templateSize }), 3 * GiB);
    assert.equal(rootDiskBytes({ hypervisor: 'KVM', requestedGb: 3, offeringGb: 8, templateSize }), 8 * GiB);
    assert.equal(rootDiskBytes({ hypervisor: 'Hyperv', templateSize }), templateSize);
    assert.throws(() => rootDiskBytes({ hypervisor: 'Hyperv', requestedGb: 3, templateSize }), {
      message: 'Hypervisor Hyperv does not support rootdisksize override',
    });
  });

  it('gives the root volume the size asked for, and counts it as primary storage', async () => {
    const gb = Math.floor(templateSize / GiB) + 2;
    const before = Number((await api('listAccounts', { name: 'admin' })).body.account[0].primarystoragetotal);
    const r = await runJob(w, api, 'deployVirtualMachine', { ...base(), rootdisksize: gb });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    assert.equal((await rootOf(r.jobresult.virtualmachine.id)).size, gb * GiB);
    const after = Number((await api('listAccounts', { name: 'admin' })).body.account[0].primarystoragetotal);
    assert.equal(after - before, gb);
  });

  it('takes details[0].rootdisksize like the parameter; without either the root volume is the template', async () => {
    const gb = Math.floor(templateSize / GiB) + 1;
    const r = await runJob(w, api, 'deployVirtualMachine', { ...base(), 'details[0].rootdisksize': String(gb) });
    assert.equal((await rootOf(r.jobresult.virtualmachine.id)).size, gb * GiB);
    const plain = await runJob(w, api, 'deployVirtualMachine', base());
    assert.equal((await rootOf(plain.jobresult.virtualmachine.id)).size, templateSize);
  });
});
