import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, until, world, type Api, type World } from '../helpers/inprocess.js';

describe('templates and ISOs through the CloudStack API', () => {
  let w: World;
  let api: Api;
  let user: Api;
  let other: Api;
  let linux: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    api = await apiSession(w);
    for (const name of ['img-user', 'img-other']) {
      const r = await api('createAccount', {
        account: name,
        username: name,
        password: 'pw',
        email: `${name}@x`,
        firstname: name,
        lastname: 'u',
        accounttype: 0,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    user = await apiSession(w, 'img-user', 'pw');
    other = await apiSession(w, 'img-other', 'pw');
    linux = (await api('listOsTypes', { description: 'Other Linux (64-bit)' })).body.ostype[0].id;
  });
  after(() => w.close());

  /** Moves the fake clock one slice of the download at a time, collecting each status listTemplates shows. */
  async function watchDownload(
    as: Api,
    id: string,
    zoneid: string,
    sliceMs: number,
    command = 'listTemplates',
    filter: Record<string, string> = { templatefilter: 'self' },
  ): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      const row = (await as(command, { ...filter, id, zoneid })).body[command === 'listIsos' ? 'iso' : 'template'][0];
      if (seen.at(-1) !== row.status) seen.push(row.status);
      if (row.isready) return seen;
      await until(() => w.clock.waiting > 0);
      w.clock.advance(sliceMs);
      await until(
        async () =>
          (await as(command, { ...filter, id, zoneid })).body[command === 'listIsos' ? 'iso' : 'template'][0].status !==
            row.status || w.clock.waiting > 0,
      );
    }
    return seen;
  }

  /** Moves the clock until every row of an image is ready. */
  async function downloaded(as: Api, command: 'listTemplates' | 'listIsos', id: string): Promise<void> {
    const rows = async () =>
      (await as(command, { [command === 'listIsos' ? 'isofilter' : 'templatefilter']: 'self', id })).body[
        command === 'listIsos' ? 'iso' : 'template'
      ] as any[];
    for (let i = 0; i < 100 && !(await rows()).every((x) => x.isready); i++) {
      if (w.clock.waiting) w.clock.advance(1000);
      await new Promise((res) => setTimeout(res, 5));
    }
  }

  it('registers a template that downloads on the clock: 10% … 100%, installing, then ready', async () => {
    assert.equal((await api('updateConfiguration', { name: 'polystack.delay.download', value: '11s' })).status, 200);
    const r = await user('registerTemplate', {
      name: 'debian-12',
      displaytext: 'Debian 12',
      url: 'http://images.example/debian-12.qcow2',
      format: 'QCOW2',
      hypervisor: 'Simulator',
      zoneid: w.zones.advanced,
      ostypeid: linux,
      isextractable: true,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.count, 1);
    const t = r.body.template[0];
    assert.equal(t.isready, false);
    assert.equal(t.zoneid, w.zones.advanced);
    assert.equal(t.templatetype, 'USER');
    const seen = await watchDownload(user, t.id, w.zones.advanced, 1000);
    // One step per second of the 11 s download: each percentage is seen, in order.
    assert.deepEqual(
      seen.filter((s) => s !== 'Active'),
      [
        '0% Downloaded',
        '10% Downloaded',
        '20% Downloaded',
        '30% Downloaded',
        '40% Downloaded',
        '50% Downloaded',
        '60% Downloaded',
        '70% Downloaded',
        '80% Downloaded',
        '90% Downloaded',
        '100% Downloaded',
        'Installing Template',
        'Download Complete',
      ].filter((s) => s !== '100% Downloaded'),
    );
    assert.equal((await api('updateConfiguration', { name: 'polystack.delay.download', value: '' })).status, 200);
    // Ready: deployable, listed as executable, not visible to another account (private by default).
    const vm = await runJob(w, user, 'deployVirtualMachine', {
      zoneid: w.zones.advanced,
      serviceofferingid: w.small,
      templateid: t.id,
    });
    assert.equal(vm.jobstatus, 1, JSON.stringify(vm));
    assert.ok(
      (await user('listTemplates', { templatefilter: 'executable' })).body.template.some((x: any) => x.id === t.id),
    );
    // Named by id, another account's private template is refused (QueryManagerImpl's checkAccess), not just left out.
    assert.equal((await other('listTemplates', { templatefilter: 'executable', id: t.id })).status, 531);
    assert.deepEqual(
      (await other('listTemplates', { templatefilter: 'executable' })).body.template?.filter(
        (x: any) => x.id === t.id,
      ) ?? [],
      [],
    );
    const foreign = await other('deployVirtualMachine', {
      zoneid: w.zones.advanced,
      serviceofferingid: w.small,
      templateid: t.id,
    });
    assert.equal(foreign.status, 431);

    // Shared by launch permission: the other account sees it as sharedexecutable and may deploy.
    assert.equal((await user('updateTemplatePermissions', { id: t.id, accounts: 'img-other', op: 'add' })).status, 200);
    const perms = (await user('listTemplatePermissions', { id: t.id })).body.templatepermission;
    assert.deepEqual(perms.account.sort(), ['img-other', 'img-user']);
    assert.equal((await other('listTemplates', { templatefilter: 'sharedexecutable' })).body.template[0].id, t.id);
    assert.equal(
      (
        await runJob(w, other, 'deployVirtualMachine', {
          zoneid: w.zones.advanced,
          serviceofferingid: w.small,
          templateid: t.id,
        })
      ).jobstatus,
      1,
    );
    assert.equal((await other('updateTemplatePermissions', { id: t.id, ispublic: true })).status, 531);

    // In use: deleting is refused unless forced.
    const del = await runJob(w, user, 'deleteTemplate', { id: t.id });
    assert.equal(del.jobstatus, 2);
    assert.match(
      del.jobresult.errortext,
      new RegExp(
        `^Unable to delete template with id: ${t.id} because VM instances: \\[VM\\[User\\|i-\\d+-\\w+\\],VM\\[User\\|i-\\d+-\\w+\\]\\] are using it\\.$`,
      ),
    );
    // Copy to the basic zone: a second row, ready there.
    const copied = await runJob(w, user, 'copyTemplate', { id: t.id, destzoneid: w.zones.basic });
    assert.equal(copied.jobstatus, 1, JSON.stringify(copied));
    assert.equal(copied.jobresult.template.zoneid, w.zones.basic);
    assert.equal(copied.jobresult.template.isready, true);
    assert.deepEqual(
      (await user('listTemplates', { templatefilter: 'self', id: t.id })).body.template
        .map((x: any) => x.zoneid)
        .sort(),
      [w.zones.advanced, w.zones.basic].sort(),
    );
    // Extract: a URL on the zone's secondary storage.
    const ex = await runJob(w, user, 'extractTemplate', { id: t.id, mode: 'HTTP_DOWNLOAD', zoneid: w.zones.advanced });
    assert.equal(ex.jobstatus, 1, JSON.stringify(ex));
    assert.match(ex.jobresult.template.url, /^http:\/\/[^/]+\/userdata\/[0-9a-f-]+\.qcow2$/);
    assert.equal(ex.jobresult.template.state, 'DOWNLOAD_URL_CREATED');
    assert.equal(ex.jobresult.template.extractMode, 'HTTP_DOWNLOAD');
    const forced = await runJob(w, user, 'deleteTemplate', { id: t.id, forced: true });
    assert.equal(forced.jobstatus, 1);
    assert.deepEqual((await user('listTemplates', { templatefilter: 'self', id: t.id })).body, {});
  });

  it("templatefilter=self with account= lists that account's images: the system account's built-ins, another tenant's own", async () => {
    const names = async (as: Api, params: Record<string, string>) =>
      ((await as('listTemplates', { templatefilter: 'self', ...params })).body.template ?? []).map((t: any) => t.name);
    const system = await names(api, { account: 'system' });
    assert.ok(
      system.some((n: string) => n.startsWith('CentOS')),
      JSON.stringify(system),
    );
    assert.ok(
      !(await names(api, {})).some((n: string) => n.startsWith('CentOS')),
      "the admin's own are not the system account's",
    );
    const registered = await api('registerTemplate', {
      name: 'other-own',
      displaytext: 'o',
      url: 'http://images.example/o.qcow2',
      format: 'QCOW2',
      hypervisor: 'Simulator',
      ostypeid: linux,
      zoneid: w.zones.basic,
      account: 'img-other',
      domainid: (await other('listAccounts', {})).body.account[0].domainid,
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    assert.deepEqual(
      await names(api, { account: 'img-other', domainid: (await other('listAccounts', {})).body.account[0].domainid }),
      ['other-own'],
    );
    assert.deepEqual(
      await names(user, { account: 'img-other' }),
      [],
      'a user naming another account still sees only its own',
    );
  });

  it('refuses bad registrations with CloudStack texts', async () => {
    const base = { name: 'x', displaytext: 'x', hypervisor: 'Simulator', zoneid: w.zones.advanced, ostypeid: linux };
    const e1 = await user('registerTemplate', { ...base, url: 'http://h/x.vhd', format: 'QCOW2' });
    assert.equal(e1.body.errortext, 'Please specify a valid qcow2');
    const e2 = await user('registerTemplate', { ...base, url: 'http://h/x.qcow2', format: 'QCOW3' });
    assert.match(e2.body.errortext, /^Image format: QCOW3 is incorrect\. Supported formats are QCOW2, RAW, VHD/);
    const e3 = await user('registerTemplate', { ...base, url: 'ftp://h/x.qcow2', format: 'QCOW2' });
    assert.equal(e3.body.errortext, 'Unsupported scheme for url: ftp://h/x.qcow2');
    const e4 = await user('listTemplates', { templatefilter: 'all' });
    assert.equal(e4.body.errortext, 'Filter all can be specified by admin only');
  });

  it('registers a cross-zone template with zoneid=-1 (one row per zone)', async () => {
    const r = await api('registerTemplate', {
      name: 'everywhere',
      displaytext: 'x',
      url: 'http://h/e.qcow2',
      format: 'QCOW2',
      hypervisor: 'Simulator',
      zoneid: '-1',
      ostypeid: linux,
      ispublic: true,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.template[0].crossZones, true);
    await downloaded(api, 'listTemplates', r.body.template[0].id);
    const rows = (await api('listTemplates', { templatefilter: 'self', id: r.body.template[0].id })).body.template;
    assert.equal(rows.length, 2);
    assert.ok(rows.every((x: any) => x.isready && x.status === 'Download Complete'));
    assert.equal(
      (await user('listTemplates', { templatefilter: 'community', id: r.body.template[0].id })).body.count,
      2,
    );
  });

  it('makes a template from a stopped VM root disk and from a snapshot', async () => {
    const vm = (
      await runJob(w, user, 'deployVirtualMachine', {
        zoneid: w.zones.basic,
        serviceofferingid: w.small,
        templateid: w.template,
      })
    ).jobresult.virtualmachine;
    const root = (await user('listVolumes', { virtualmachineid: vm.id, type: 'ROOT' })).body.volume[0];
    const running = await user('createTemplate', {
      name: 'golden',
      displaytext: 'golden',
      ostypeid: linux,
      volumeid: root.id,
    });
    assert.equal(running.status, 530);
    assert.equal(
      running.body.errortext,
      `Unable to create private template for volume: ${root.name}; volume is attached to a non-stopped VM, please stop the VM first`,
    );
    const snap = (await runJob(w, user, 'createSnapshot', { volumeid: root.id })).jobresult.snapshot;
    const fromSnap = await runJob(w, user, 'createTemplate', {
      name: 'from-snap',
      displaytext: 'from snapshot',
      ostypeid: linux,
      snapshotid: snap.id,
    });
    assert.equal(fromSnap.jobstatus, 1, JSON.stringify(fromSnap));
    assert.equal(fromSnap.jobresult.template.isready, true);
    assert.equal(fromSnap.jobresult.template.zoneid, w.zones.basic);
    assert.equal(fromSnap.jobresult.template.sourcetemplateid, w.template);
    await runJob(w, user, 'stopVirtualMachine', { id: vm.id });
    const fromVol = await runJob(w, user, 'createTemplate', {
      name: 'golden',
      displaytext: 'golden',
      ostypeid: linux,
      volumeid: root.id,
    });
    assert.equal(fromVol.jobstatus, 1);
    assert.equal(fromVol.jobresult.template.format, 'RAW');
    assert.equal(
      (
        await runJob(w, user, 'deployVirtualMachine', {
          zoneid: w.zones.basic,
          serviceofferingid: w.small,
          templateid: fromVol.jobresult.template.id,
        })
      ).jobstatus,
      1,
    );
    assert.equal(
      (
        await user('listTemplates', {
          templatefilter: 'selfexecutable',
          zoneid: w.zones.advanced,
          id: fromVol.jobresult.template.id,
        })
      ).body.count,
      undefined,
    );
  });

  it('ISOs: register, attach to a running VM, refuse deletion while attached, detach, delete', async () => {
    const r = await user('registerIso', {
      name: 'rescue',
      displaytext: 'rescue',
      url: 'http://h/rescue.iso',
      zoneid: w.zones.basic,
      ostypeid: linux,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const iso = r.body.iso[0];
    await downloaded(user, 'listIsos', iso.id);
    const listed = (await user('listIsos', { id: iso.id })).body.iso[0];
    assert.ok(listed, 'ready: now in the default (selfexecutable) ISO list');
    assert.equal(listed.status, 'Successfully Installed');
    assert.equal(listed.bootable, true);
    const vm = (
      await runJob(w, user, 'deployVirtualMachine', {
        zoneid: w.zones.basic,
        serviceofferingid: w.small,
        templateid: w.template,
      })
    ).jobresult.virtualmachine;
    const a = await runJob(w, user, 'attachIso', { id: iso.id, virtualmachineid: vm.id });
    assert.equal(a.jobstatus, 1, JSON.stringify(a));
    assert.equal(a.jobresult.virtualmachine.isoid, iso.id);
    assert.equal(a.jobresult.virtualmachine.isoname, 'rescue');
    const del = await runJob(w, user, 'deleteIso', { id: iso.id });
    assert.equal(del.jobresult.errortext, "Unable to delete iso, as it's used by other vms");
    const d = await runJob(w, user, 'detachIso', { virtualmachineid: vm.id });
    assert.equal(d.jobresult.virtualmachine.isoid, undefined);
    const again = await runJob(w, user, 'detachIso', { virtualmachineid: vm.id });
    assert.equal(again.jobresult.errortext, 'The specified VM has no ISO attached to it.');
    assert.equal((await runJob(w, user, 'deleteIso', { id: iso.id })).jobstatus, 1);
    assert.deepEqual((await user('listIsos', { isofilter: 'self' })).body, {});
  });

  it('extracts a volume of a stopped VM and refuses a running one', async () => {
    const vm = (
      await runJob(w, api, 'deployVirtualMachine', {
        zoneid: w.zones.basic,
        serviceofferingid: w.small,
        templateid: w.template,
      })
    ).jobresult.virtualmachine;
    const root = (await api('listVolumes', { virtualmachineid: vm.id, type: 'ROOT' })).body.volume[0];
    const running = await runJob(w, api, 'extractVolume', {
      id: root.id,
      zoneid: w.zones.basic,
      mode: 'HTTP_DOWNLOAD',
    });
    assert.equal(
      running.jobresult.errortext,
      `Invalid state of the volume with ID: ${root.id}. It should be either detached or the VM should be in stopped state.`,
    );
    await runJob(w, api, 'stopVirtualMachine', { id: vm.id });
    const ok = await runJob(w, api, 'extractVolume', { id: root.id, zoneid: w.zones.basic, mode: 'HTTP_DOWNLOAD' });
    assert.equal(ok.jobstatus, 1, JSON.stringify(ok));
    assert.equal(ok.jobresult.volume.id, root.id);
    assert.match(ok.jobresult.volume.url, /\/userdata\//);
    const bogus = await runJob(w, api, 'extractVolume', { id: root.id, zoneid: w.zones.basic, mode: 'BOGUS' });
    assert.equal(bogus.jobresult.errortext, 'Please specify a valid extract Mode ');
  });
});
