// The console's resource pages (storage, images, VPCs, load balancing, projects, affinity groups,
// offerings, settings), walked in headless Chromium the way a person would: create, see, change,
// delete, with the result checked through the API and not one browser console error on any page.
// Each list page is kept as a screenshot for the docs (docs/public/screenshots/, with POLYSTACK_DOCS_SCREENSHOTS=1).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';
import { DOCS_SHOTS, launch, login, newContext, SHOTS } from './browser.js';

const ADVANCED = 'Sandbox-simulator-advanced';

/** An async command over HTTP, followed to its job's end; the job's result (or a thrown errortext). */
async function job(s: HttpSession, command: string, params: Record<string, string>): Promise<any> {
  const r = await s.call(command, params);
  assert.equal(r.status, 200, `${command}: ${JSON.stringify(r.body)}`);
  for (;;) {
    const j = (await s.call('queryAsyncJobResult', { jobid: r.body.jobid })).body;
    if (j.jobstatus === 1) return j.jobresult;
    if (j.jobstatus === 2) throw new Error(`${command}: ${JSON.stringify(j.jobresult)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('console resource pages (headless Chromium)', () => {
  let s: TestServer;
  let browser: Browser;
  let admin: HttpSession;
  let page: Page;
  /** Browser console errors and uncaught page errors, with the page they happened on. */
  const errors: string[] = [];
  const vms: Record<string, string> = {};
  let zoneId = '';

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startServer();
    browser = await launch();
    admin = await httpLogin(s.endpoint);
    zoneId = (await admin.call('listZones', { name: ADVANCED })).body.zone[0].id;
    const template = (
      await admin.call('listTemplates', {
        templatefilter: 'featured',
        zoneid: zoneId,
        name: 'CentOS 5.3(64-bit) no GUI (Simulator)',
      })
    ).body.template[0];
    const offering = (await admin.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0];
    // One running instance and one stopped that ran once, so its root disk is Ready (VM snapshots revert,
    // volume snapshots revert and affinity groups change on stopped ones).
    for (const name of ['res-a', 'res-b']) {
      const r = await job(admin, 'deployVirtualMachine', {
        zoneid: zoneId,
        templateid: template.id,
        serviceofferingid: offering.id,
        name,
      });
      vms[name] = r.virtualmachine.id;
    }
    await job(admin, 'stopVirtualMachine', { id: vms['res-b']! });
    const context = await newContext(browser);
    page = await context.newPage();
    page.on(
      'console',
      (m) => m.type() === 'error' && errors.push(`${m.text()} ${m.location().url} (on ${page.url()})`),
    );
    page.on('pageerror', (e) => errors.push(`${e.message} (on ${page.url()})`));
    await login(page, s.url);
  });
  afterEach(() => {
    const seen = errors.splice(0);
    assert.deepEqual(seen, [], 'no browser console errors');
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  const go = async (path: string, heading: string | RegExp) => {
    await page.goto(`${s.url}/client/#${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };
  const dialog = (name: string | RegExp) => page.getByRole('dialog', { name });
  /** Presses the dialog's submit button and waits for the dialog to close (it stays open, with the errortext, on failure). */
  const submit = async (d: Locator, label: string) => {
    await d.getByRole('button', { name: label, exact: true }).click();
    const alert = d.getByRole('alert');
    await Promise.race([
      d.waitFor({ state: 'hidden' }),
      alert.waitFor().then(async () => assert.fail(`${label}: ${await alert.textContent()}`)),
    ]);
  };
  const confirm = async (title: string, label: string) => submit(dialog(title), label);
  // Without the passing notices, which would cover the page in the docs.
  // The whole page only for the docs: an ordinary run keeps the (cheaper) viewport.
  const shot = (name: string) =>
    page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: DOCS_SHOTS, style: '.toasts { display: none }' });
  /** Waits until the page's table shows `n` rows (a filter has been applied). */
  const rows = (n: number) => page.waitForFunction(`document.querySelectorAll('main table tbody tr').length === ${n}`);
  const detail = (label: string) =>
    page.locator('.details div', { has: page.locator(`dt:text-is("${label}")`) }).locator('dd');

  it('a user who is not an admin opens every new page without an error, every control labelled, and sees no settings', async () => {
    const domain = (await admin.call('listDomains', { name: 'ROOT' })).body.domain[0];
    const made = await admin.call('createAccount', {
      username: 'plain-user',
      password: 'plain-pw',
      email: 'u@example.com',
      firstname: 'U',
      lastname: 'Ser',
      accounttype: '0',
      domainid: domain.id,
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const context = await newContext(browser);
    const user = await context.newPage();
    user.on(
      'console',
      (m) => m.type() === 'error' && errors.push(`${m.text()} ${m.location().url} (user, on ${user.url()})`),
    );
    user.on('pageerror', (e) => errors.push(`${e.message} (user, on ${user.url()})`));
    await login(user, s.url, 'plain-user', 'plain-pw');
    const nav = user.getByRole('navigation', { name: 'Main' });
    for (const [link, heading] of [
      ['Volumes', 'Volumes'],
      ['Snapshots', 'Snapshots'],
      ['Instance snapshots', 'Instance snapshots'],
      ['Templates', 'Templates'],
      ['ISOs', 'ISOs'],
      ['VPCs', 'VPCs'],
      ['Load balancers', 'Load balancers'],
      ['Port forwarding', 'Port forwarding'],
      ['Affinity groups', 'Affinity groups'],
      ['Projects', 'Projects'],
      ['Offerings', 'Offerings'],
    ]) {
      await nav.getByRole('link', { name: link, exact: true }).click();
      await user.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
      await user.locator('main table').first().waitFor();
      await user.waitForLoadState('networkidle');
      // A string, not a function: tsx would wrap a nested function in a helper the page does not have.
      const unlabelled = await user.evaluate<
        string[]
      >(`[...document.querySelectorAll('input, select, textarea, button, a[href]')]
        .filter((el) => !((el.getAttribute('aria-label') ?? '') + (el.labels?.length ? 'label' : '') + (el.textContent ?? '').trim()))
        .map((el) => el.outerHTML.slice(0, 120))`);
      assert.deepEqual(unlabelled, [], `every control on ${link} has an accessible name`);
    }
    // Offerings are listed for everyone and made by admins only.
    assert.equal(await user.getByRole('button', { name: /^Create .* offering$/ }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Global settings' }).count(), 0);
    await user.goto(`${s.url}/client/#/settings`);
    await user.getByRole('alert').getByText('This page is for root administrators.').waitFor();
    await context.close();
  });

  it('volumes: create, attach, resize, snapshot, detach, delete', async () => {
    await go('/volumes', 'Volumes');
    await page.getByRole('button', { name: 'Create volume' }).click();
    const create = dialog('Create a volume');
    await create.getByLabel('Name', { exact: true }).fill('data-1');
    await create.getByLabel('Zone').selectOption({ label: ADVANCED });
    await create.getByLabel('Disk offering').selectOption({ label: 'Custom (custom size)' });
    await create.getByLabel('Size (GiB)').fill('5');
    await submit(create, 'Create');
    await page.getByRole('heading', { name: 'Volume data-1' }).waitFor();
    const id = /volumes\/([\w-]+)/.exec(page.url())![1]!;

    await page.getByRole('button', { name: 'Attach' }).click();
    const attach = dialog('Attach data-1');
    await attach.getByLabel('Instance').selectOption({ label: 'res-a (Running)' });
    await submit(attach, 'Attach');
    await detail('Instance').getByRole('link', { name: 'res-a' }).waitFor();

    await page.getByRole('button', { name: 'Resize' }).click();
    const resize = dialog('Resize data-1');
    await resize.getByLabel('New size (GiB)').fill('12');
    await submit(resize, 'Resize');
    await page.getByText('12 GiB').waitFor();

    await page.getByRole('button', { name: 'Take snapshot' }).click();
    const snap = dialog('Snapshot data-1');
    await snap.getByLabel('Snapshot name').fill('snap-1');
    await submit(snap, 'Take snapshot');
    await page.getByRole('table', { name: 'Snapshots of data-1' }).getByRole('link', { name: 'snap-1' }).waitFor();

    const vol = (await admin.call('listVolumes', { id })).body.volume[0];
    assert.equal(vol.virtualmachineid, vms['res-a']);
    assert.equal(vol.size, 12 * 1024 ** 3);

    // An instance's volumes: its root disk and the one just attached.
    await go(`/volumes?virtualmachineid=${vms['res-a']}`, 'Volumes');
    await page.getByText('For one instance.').waitFor();
    await rows(2);
    await page.getByRole('link', { name: 'data-1' }).waitFor();

    await go('/volumes', 'Volumes');
    await page.getByRole('search', { name: 'Filter volumes' }).getByLabel('Search').fill('data');
    await page.getByRole('link', { name: 'data-1' }).waitFor();
    await page.getByRole('cell', { name: 'ROOT', exact: true }).first().waitFor({ state: 'detached' });
    await shot('volumes');

    await page.getByRole('link', { name: 'data-1' }).click();
    await page.getByRole('button', { name: 'Detach' }).click();
    await confirm('Detach volume', 'Detach');
    await detail('Instance').getByText('not attached').waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm('Delete volume', 'Delete');
    await page.getByRole('heading', { level: 1, name: 'Volumes' }).waitFor();
    assert.equal((await admin.call('listVolumes', { id })).body.volume, undefined);
  });

  it('snapshots: take, filter, make a volume of one, revert, delete; an error shows the errortext', async () => {
    const root = (await admin.call('listVolumes', { virtualmachineid: vms['res-b']!, type: 'ROOT' })).body.volume[0];
    await go('/snapshots', 'Snapshots');
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    const take = dialog('Take a volume snapshot');
    await take.getByLabel('Volume').selectOption({ label: `${root.name} (res-b)` });
    await take.getByLabel('Name', { exact: true }).fill('root-snap');
    await submit(take, 'Take snapshot');
    await page.getByRole('heading', { name: 'Snapshot root-snap' }).waitFor();
    const id = /snapshots\/([\w-]+)/.exec(page.url())![1]!;

    await page.getByRole('button', { name: 'Revert volume' }).click();
    await confirm('Revert volume', 'Revert');
    await page.getByText(`${root.name} reverted`).waitFor();

    await page.getByRole('button', { name: 'Create volume' }).click();
    const make = dialog('A volume from root-snap');
    await make.getByLabel('Volume name').fill('from-snap');
    await submit(make, 'Create volume');
    await page.getByRole('heading', { name: 'Volume from-snap' }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm('Delete volume', 'Delete');

    await go('/snapshots', 'Snapshots');
    await page.getByRole('search', { name: 'Filter snapshots' }).getByLabel('Search').fill('root');
    await page.getByRole('link', { name: 'root-snap' }).waitFor();
    await page.getByRole('link', { name: 'snap-1' }).waitFor({ state: 'detached' });
    await shot('snapshots');

    await page.getByRole('link', { name: 'root-snap' }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm('Delete snapshot', 'Delete');
    await page.getByRole('heading', { level: 1, name: 'Snapshots' }).waitFor();
    assert.equal((await admin.call('listSnapshots', { id })).body.snapshot, undefined);

    // A failure stays in its dialog with CloudStack's errortext.
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    const bad = dialog('Take a volume snapshot');
    await bad.getByLabel('Volume').selectOption({ label: `${root.name} (res-b)` });
    await page.route('**/client/api', (route) =>
      route.request().postData()?.includes('command=createSnapshot')
        ? route.fulfill({
            status: 530,
            contentType: 'application/json',
            body: JSON.stringify({ createsnapshotresponse: { errorcode: 530, errortext: 'Snapshot store is full' } }),
          })
        : route.continue(),
    );
    await bad.getByRole('button', { name: 'Take snapshot' }).click();
    await bad.getByRole('alert').getByText('Snapshot store is full').waitFor();
    await page.unroute('**/client/api');
    await bad.getByRole('button', { name: 'Cancel' }).click();
    // The browser logs the failed request itself; that one is expected, and no other.
    const expected = errors.findIndex((e) => /status of 530/.test(e));
    assert.ok(expected >= 0, 'the browser saw the 530');
    errors.splice(expected, 1);
  });

  it('instance snapshots: take, revert a stopped instance, delete', async () => {
    await go('/vm-snapshots', 'Instance snapshots');
    await page.getByRole('button', { name: 'Take instance snapshot' }).click();
    const take = dialog('Take an instance snapshot');
    await take.getByLabel('Instance', { exact: true }).selectOption({ label: 'res-b (Stopped)' });
    await take.getByLabel('Name', { exact: true }).fill('before-upgrade');
    await take.getByLabel('Description').fill('kept for the test');
    await submit(take, 'Take snapshot');
    await page.getByRole('cell', { name: 'before-upgrade', exact: true }).waitFor();
    await page
      .getByRole('search', { name: 'Filter instance snapshots' })
      .getByLabel('Instance')
      .selectOption({ label: 'res-b (Stopped)' });
    await page.getByRole('cell', { name: 'kept for the test' }).waitFor();
    await shot('vm-snapshots');

    await page.getByRole('button', { name: 'Revert to before-upgrade' }).click();
    await confirm('Revert instance', 'Revert');
    await page.getByText('res-b reverted').waitFor();
    await page.getByRole('button', { name: 'Delete before-upgrade' }).click();
    await confirm('Delete instance snapshot', 'Delete');
    await page.getByRole('cell', { name: 'before-upgrade', exact: true }).waitFor({ state: 'detached' });
    assert.equal((await admin.call('listVMSnapshot', { virtualmachineid: vms['res-b']! })).body.vmSnapshot, undefined);
  });

  it('templates: register, edit, copy to another zone, extract, delete', async () => {
    await go('/templates', 'Templates');
    await page.getByRole('button', { name: 'Register template' }).click();
    const reg = dialog('Register a template');
    await reg.getByLabel('Name', { exact: true }).fill('tpl-web');
    await reg.getByLabel('URL').fill('http://images.example/tpl-web.qcow2');
    await reg.getByLabel('Zone').selectOption({ label: ADVANCED });
    await reg.getByLabel('OS type').selectOption({ index: 1 });
    await reg.getByLabel('Password enabled').check();
    await submit(reg, 'Register');
    await page.getByRole('heading', { name: 'Template tpl-web' }).waitFor();
    const id = /templates\/([\w-]+)/.exec(page.url())![1]!;

    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = dialog('Edit tpl-web');
    await edit.getByLabel('Name').fill('tpl-web-2');
    await edit.getByLabel('Description').fill('the web tier');
    await submit(edit, 'Save');
    await page.getByRole('heading', { name: 'Template tpl-web-2' }).waitFor();

    await page.getByRole('button', { name: 'Copy to zone' }).click();
    const copy = dialog('Copy tpl-web-2 to another zone');
    await copy.getByLabel('To zone').selectOption({ label: 'Sandbox-simulator-basic' });
    await submit(copy, 'Copy');
    await page
      .getByRole('table', { name: 'Zones of tpl-web-2' })
      .getByRole('cell', { name: 'Sandbox-simulator-basic', exact: true })
      .waitFor();

    await page.getByRole('button', { name: 'Extract' }).click();
    await submit(dialog('Extract tpl-web-2'), 'Get download URL');
    const link = dialog('Download tpl-web-2').getByRole('link');
    assert.match((await link.getAttribute('href')) ?? '', /^https?:\/\//);
    await dialog('Download tpl-web-2').getByRole('button', { name: 'Done' }).click();

    const t = (await admin.call('listTemplates', { templatefilter: 'all', id })).body.template;
    assert.deepEqual(t.map((x: any) => x.zonename).sort(), [ADVANCED, 'Sandbox-simulator-basic']);
    assert.equal(t[0].displaytext, 'the web tier');
    assert.equal(t[0].passwordenabled, true);
    assert.equal(t[0].hypervisor, 'Simulator', 'the hypervisor is the one listHypervisors offers');

    await go('/templates', 'Templates');
    await page.getByRole('search', { name: 'Filter Templates' }).getByLabel('Show').selectOption({ label: 'Mine' });
    await page.getByRole('link', { name: 'tpl-web-2' }).first().waitFor();
    await page
      .getByRole('link', { name: /CentOS/ })
      .first()
      .waitFor({ state: 'detached' });
    await shot('templates');

    await page.getByRole('link', { name: 'tpl-web-2' }).first().click();
    await page.getByRole('button', { name: 'Delete from Sandbox-simulator-basic' }).click();
    await confirm('Delete template', 'Delete');
    await page
      .getByRole('table', { name: 'Zones of tpl-web-2' })
      .getByRole('cell', { name: 'Sandbox-simulator-basic', exact: true })
      .waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm('Delete template', 'Delete');
    await page.getByRole('heading', { level: 1, name: 'Templates' }).waitFor();
    assert.equal((await admin.call('listTemplates', { templatefilter: 'all', id })).body.template, undefined);
  });

  it('ISOs: register, edit, delete', async () => {
    await go('/isos', 'ISOs');
    await page.getByRole('button', { name: 'Register ISO' }).click();
    const reg = dialog('Register a ISO');
    await reg.getByLabel('Name', { exact: true }).fill('rescue-iso');
    await reg.getByLabel('URL').fill('http://images.example/rescue.iso');
    await reg.getByLabel('OS type').selectOption({ index: 1 });
    await submit(reg, 'Register');
    await page.getByRole('heading', { name: 'ISO rescue-iso' }).waitFor();
    const id = /isos\/([\w-]+)/.exec(page.url())![1]!;
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = dialog('Edit rescue-iso');
    await edit.getByLabel('Description').fill('boots a shell');
    await submit(edit, 'Save');
    await detail('Description').getByText('boots a shell').waitFor();
    await go('/isos', 'ISOs');
    await page.getByRole('link', { name: 'rescue-iso' }).first().waitFor();
    await shot('isos');
    await page.getByRole('link', { name: 'rescue-iso' }).first().click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm('Delete ISO', 'Delete');
    await page.getByRole('heading', { level: 1, name: 'ISOs' }).waitFor();
    assert.equal((await admin.call('listIsos', { isofilter: 'all', id })).body.iso, undefined);
  });

  it('VPCs: create, an ACL list with a rule, a tier, change its ACL, edit, delete it all', async () => {
    await go('/vpcs', 'VPCs');
    await page.getByRole('button', { name: 'Create VPC' }).click();
    const create = dialog('Create a VPC');
    await create.getByLabel('Name', { exact: true }).fill('vpc-web');
    await create.getByLabel('Zone').selectOption({ label: ADVANCED });
    await create.getByLabel('Super CIDR').fill('10.20.0.0/16');
    await submit(create, 'Create');
    await page.getByRole('heading', { name: 'VPC vpc-web' }).waitFor();
    const id = /vpcs\/([\w-]+)/.exec(page.url())![1]!;

    await page.getByRole('button', { name: 'Create ACL list' }).click();
    const acl = dialog('Create an ACL list in vpc-web');
    await acl.getByLabel('Name', { exact: true }).fill('web-acl');
    await submit(acl, 'Create');
    await page.getByRole('button', { name: 'Add rule to web-acl' }).click();
    const rule = dialog('Add a rule to web-acl');
    await rule.getByLabel('Start port').fill('443');
    await rule.getByLabel('End port').fill('443');
    await submit(rule, 'Add rule');
    await page
      .getByRole('table', { name: 'Rules of ACL list web-acl' })
      .getByRole('cell', { name: '443', exact: true })
      .waitFor();

    await page.getByRole('button', { name: 'Add tier' }).click();
    const tier = dialog('Add a tier to vpc-web');
    await tier.getByLabel('Tier name').fill('web-tier');
    await tier.getByLabel('Gateway').fill('10.20.1.1');
    await tier.getByLabel('ACL list').selectOption({ label: 'web-acl' });
    await submit(tier, 'Add tier');
    const tiers = page.getByRole('table', { name: 'Tiers of vpc-web' });
    await tiers.getByRole('row', { name: /web-tier.*web-acl/ }).waitFor();

    await page.getByRole('button', { name: 'Change ACL of web-tier' }).click();
    const change = dialog("Change a tier's ACL list");
    await change.getByLabel('ACL list').selectOption({ label: 'default_allow' });
    await submit(change, 'Replace ACL list');
    await tiers.getByRole('row', { name: /web-tier.*default_allow/ }).waitFor();

    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = dialog('Edit vpc-web');
    await edit.getByLabel('Description').fill('the web VPC');
    await submit(edit, 'Save');
    await detail('Description').getByText('the web VPC').waitFor();
    await shot('vpc-detail');
    const net = (await admin.call('listNetworks', { vpcid: id })).body.network[0];
    assert.equal(net.name, 'web-tier');
    assert.equal(net.cidr, '10.20.1.0/24');

    await go('/vpcs', 'VPCs');
    await page.getByRole('link', { name: 'vpc-web' }).waitFor();
    await shot('vpcs');
    await page.getByRole('link', { name: 'vpc-web' }).click();
    await page.getByRole('button', { name: 'Delete tier web-tier' }).click();
    await confirm('Delete tier', 'Delete');
    await tiers.getByRole('cell', { name: 'web-tier', exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Delete rule 1 of web-acl' }).click();
    await confirm('Delete ACL rule', 'Delete');
    await page.getByRole('button', { name: 'Delete list web-acl' }).click();
    await confirm('Delete ACL list', 'Delete');
    await page.getByRole('table', { name: 'Rules of ACL list web-acl' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm('Delete VPC', 'Delete');
    await page.getByRole('heading', { level: 1, name: 'VPCs' }).waitFor();
    assert.equal((await admin.call('listVPCs', { id })).body.vpc, undefined);
  });

  it('load balancers and port forwarding: create, assign, change, delete', async () => {
    const vm = (await admin.call('listVirtualMachines', { id: vms['res-a']! })).body.virtualmachine[0];
    const ip = (await job(admin, 'associateIpAddress', { networkid: vm.nic[0].networkid })).ipaddress;
    await go('/load-balancers', 'Load balancers');
    await page.getByRole('button', { name: 'Create load balancer' }).click();
    const create = dialog('Create a load balancer');
    await create.getByLabel('Name', { exact: true }).fill('lb-web');
    await create.getByLabel('Public IP').selectOption({ label: `${ip.ipaddress} (${vm.nic[0].networkname})` });
    await submit(create, 'Create');
    await page.getByRole('heading', { name: 'Load balancer lb-web' }).waitFor();
    const id = /load-balancers\/([\w-]+)/.exec(page.url())![1]!;

    await page.getByRole('button', { name: 'Assign instance' }).click();
    const assign = dialog('Assign an instance to lb-web');
    await assign.getByLabel('Instance').selectOption({ label: 'res-a (Running)' });
    await submit(assign, 'Assign');
    await page.getByRole('table', { name: 'Instances behind lb-web' }).getByRole('link', { name: 'res-a' }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = dialog('Edit lb-web');
    await edit.getByLabel('Algorithm').selectOption({ label: 'Least connections' });
    await submit(edit, 'Save');
    await detail('Algorithm').getByText('Least connections').waitFor();
    assert.equal((await admin.call('listLoadBalancerRules', { id })).body.loadbalancerrule[0].algorithm, 'leastconn');
    assert.equal((await admin.call('listLoadBalancerRuleInstances', { id })).body.loadbalancerruleinstance.length, 1);
    await go('/load-balancers', 'Load balancers');
    await page.getByRole('link', { name: 'lb-web' }).waitFor();
    await shot('load-balancers');
    await page.getByRole('link', { name: 'lb-web' }).click();
    await page.getByRole('button', { name: 'Remove res-a from lb-web' }).click();
    await confirm('Remove instance', 'Remove');
    await page
      .getByRole('table', { name: 'Instances behind lb-web' })
      .getByRole('link', { name: 'res-a' })
      .waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm('Delete load balancer', 'Delete');
    await page.getByRole('heading', { level: 1, name: 'Load balancers' }).waitFor();
    assert.equal((await admin.call('listLoadBalancerRules', { id })).body.loadbalancerrule, undefined);

    await go('/port-forwarding', 'Port forwarding');
    await page.getByRole('button', { name: 'Forward a port' }).click();
    const pf = dialog('Forward a port');
    await pf.getByLabel('Public IP').selectOption({ label: `${ip.ipaddress} (${vm.nic[0].networkname})` });
    await pf.getByLabel('Instance').selectOption({ label: 'res-a (Running)' });
    await submit(pf, 'Add rule');
    await page.getByRole('row', { name: new RegExp(`${ip.ipaddress.replace(/\./g, '\\.')}.*2222.*res-a`) }).waitFor();
    await shot('port-forwarding');
    const rules = (await admin.call('listPortForwardingRules', { ipaddressid: ip.id })).body.portforwardingrule;
    assert.deepEqual(
      [rules[0].publicport, rules[0].privateport, rules[0].virtualmachineid],
      ['2222', '22', vms['res-a']],
    );
    await page.getByRole('button', { name: `Delete forwarding ${ip.ipaddress}:2222` }).click();
    await confirm('Delete port forwarding', 'Delete');
    await page.getByRole('link', { name: 'res-a' }).waitFor({ state: 'detached' });
    assert.equal(
      (await admin.call('listPortForwardingRules', { ipaddressid: ip.id })).body.portforwardingrule,
      undefined,
    );
  });

  it('projects: create, describe, add and remove an account, suspend, activate, delete', async () => {
    const domain = (await admin.call('listDomains', { name: 'ROOT' })).body.domain[0];
    const made = await admin.call('createAccount', {
      username: 'proj-user',
      password: 'pw-1',
      email: 'p@example.com',
      firstname: 'P',
      lastname: 'U',
      accounttype: '0',
      domainid: domain.id,
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    await go('/projects', 'Projects');
    await page.getByRole('button', { name: 'Create project' }).click();
    const create = dialog('Create a project');
    await create.getByLabel('Name', { exact: true }).fill('proj-web');
    await submit(create, 'Create');
    await page.getByRole('heading', { name: 'Project proj-web' }).waitFor();
    const id = /projects\/([\w-]+)/.exec(page.url())![1]!;
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = dialog('Edit proj-web');
    await edit.getByLabel('Description').fill('the web team');
    await submit(edit, 'Save');
    await detail('Description').getByText('the web team').waitFor();
    await page.getByRole('button', { name: 'Add account' }).click();
    const add = dialog('Add an account to proj-web');
    await add.getByLabel('Account name').fill('proj-user');
    await submit(add, 'Add');
    await page
      .getByRole('table', { name: 'Accounts of proj-web' })
      .getByRole('cell', { name: 'proj-user', exact: true })
      .waitFor();
    await page.getByRole('button', { name: 'Remove proj-user from proj-web' }).click();
    await confirm('Remove account', 'Remove');
    await page
      .getByRole('table', { name: 'Accounts of proj-web' })
      .getByRole('cell', { name: 'proj-user', exact: true })
      .waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Suspend' }).click();
    await confirm('Suspend project', 'Suspend');
    await detail('State').getByText('Suspended').waitFor();
    assert.equal((await admin.call('listProjects', { id, listall: 'true' })).body.project[0].state, 'Suspended');
    await page.getByRole('button', { name: 'Activate' }).click();
    await confirm('Activate project', 'Activate');
    await detail('State').getByText('Active').waitFor();
    await go('/projects', 'Projects');
    await page.getByRole('link', { name: 'proj-web' }).waitFor();
    await shot('projects');
    await page.getByRole('link', { name: 'proj-web' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm('Delete project', 'Delete');
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    assert.equal((await admin.call('listProjects', { id, listall: 'true' })).body.project, undefined);
  });

  it('affinity groups: create, add a stopped instance, remove it, delete', async () => {
    await go('/affinity-groups', 'Affinity groups');
    await page.getByRole('button', { name: 'Create affinity group' }).click();
    const create = dialog('Create an affinity group');
    await create.getByLabel('Name', { exact: true }).fill('spread-web');
    await create.getByLabel('Type').selectOption('host anti-affinity');
    await submit(create, 'Create');
    await page.getByRole('heading', { name: 'Affinity group spread-web' }).waitFor();
    const id = /affinity-groups\/([\w-]+)/.exec(page.url())![1]!;
    await page.getByRole('button', { name: 'Add instance' }).click();
    const add = dialog('Add an instance to spread-web');
    await add.getByLabel('Instance').selectOption({ label: 'res-b' });
    await submit(add, 'Add');
    await page.getByRole('table', { name: 'Instances in spread-web' }).getByRole('link', { name: 'res-b' }).waitFor();
    assert.deepEqual(
      (await admin.call('listVirtualMachines', { id: vms['res-b']! })).body.virtualmachine[0].affinitygroup.map(
        (g: any) => g.name,
      ),
      ['spread-web'],
    );
    await go('/affinity-groups', 'Affinity groups');
    await page.getByRole('row', { name: /spread-web.*host anti-affinity.*1/ }).waitFor();
    await shot('affinity-groups');
    await page.getByRole('link', { name: 'spread-web' }).click();
    await page.getByRole('button', { name: 'Remove res-b from spread-web' }).click();
    await confirm('Remove from group', 'Remove');
    await page
      .getByRole('table', { name: 'Instances in spread-web' })
      .getByRole('link', { name: 'res-b' })
      .waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm('Delete affinity group', 'Delete');
    await page.getByRole('heading', { level: 1, name: 'Affinity groups' }).waitFor();
    assert.equal((await admin.call('listAffinityGroups', { id })).body.affinitygroup, undefined);
  });

  it('offerings: create, edit and delete a service, disk, network and VPC offering', async () => {
    const walk = async (
      kind: string,
      tab: string,
      noun: string,
      fill: (d: Locator) => Promise<void>,
      list: string,
      key: string,
    ) => {
      await go(`/offerings/${kind}`, 'Offerings');
      await page.getByRole('navigation', { name: 'Offering kinds' }).getByRole('link', { name: tab }).waitFor();
      await page.getByRole('button', { name: `Create ${noun}` }).click();
      const create = dialog(`Create a ${noun}`);
      await create.getByLabel('Name', { exact: true }).fill(`web-${kind}`);
      await fill(create);
      await submit(create, 'Create');
      await page.getByRole('heading', { level: 1, name: `web-${kind}` }).waitFor();
      const id = new RegExp(`offerings/${kind}/([\\w-]+)`).exec(page.url())![1]!;
      await page.getByRole('button', { name: 'Edit' }).click();
      const edit = dialog(`Edit web-${kind}`);
      await edit.getByLabel('Name', { exact: true }).fill(`web-${kind}-2`);
      await edit.getByLabel('Description').fill(`changed ${kind}`);
      const enable = edit.getByRole('checkbox', { name: /Enabled/ });
      if (await enable.count()) await enable.check();
      await submit(edit, 'Save');
      await page.getByRole('heading', { level: 1, name: `web-${kind}-2` }).waitFor();
      const o = (await admin.call(list, { id })).body[key][0];
      assert.equal(o.displaytext, `changed ${kind}`);
      if ('state' in o) assert.equal(o.state, 'Enabled');
      await go(`/offerings/${kind}`, 'Offerings');
      await page.getByRole('link', { name: `web-${kind}-2` }).waitFor();
      await shot(`offerings-${kind}`);
      await page.getByRole('link', { name: `web-${kind}-2` }).click();
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await confirm('Delete offering', 'Delete');
      await page.getByRole('link', { name: `web-${kind}-2` }).waitFor({ state: 'detached' });
      const gone = (await admin.call(list, { id })).body[key];
      assert.ok(!gone || gone.every((x: any) => x.id !== id), `${kind} offering deleted`);
      return o;
    };
    const so = await walk(
      'service',
      'Service offerings',
      'service offering',
      async (d) => {
        await d.getByLabel('CPU cores').fill('2');
        await d.getByLabel('Memory (MiB)').fill('2048');
      },
      'listServiceOfferings',
      'serviceoffering',
    );
    assert.deepEqual([so.cpunumber, so.memory], [2, 2048]);
    const disk = await walk(
      'disk',
      'Disk offerings',
      'disk offering',
      (d) => d.getByLabel('Disk size (GiB)').fill('30'),
      'listDiskOfferings',
      'diskoffering',
    );
    assert.equal(disk.disksize, 30);
    await walk(
      'network',
      'Network offerings',
      'network offering',
      (d) => d.getByLabel('SourceNat').check(),
      'listNetworkOfferings',
      'networkoffering',
    );
    await walk(
      'vpc',
      'VPC offerings',
      'vpc offering',
      (d) => d.getByLabel('NetworkACL').check(),
      'listVPCOfferings',
      'vpcoffering',
    );
  });

  it('settings: search, edit and reset a global setting, and a zone setting', async () => {
    await go('/settings', 'Global settings');
    await page.getByRole('search', { name: 'Filter settings' }).getByLabel('Search').fill('expunge.delay');
    // The search applies after a pause; click only once the list has narrowed, or the rows move under the pointer.
    await rows(1);
    await page.getByRole('cell', { name: 'expunge.delay', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Edit expunge.delay' }).click();
    const edit = dialog('Edit expunge.delay');
    await edit.getByLabel('Value').fill('120');
    await submit(edit, 'Save');
    await page.getByRole('row', { name: /expunge\.delay\s*120/ }).waitFor();
    const global = (name: string, zoneid?: string) =>
      admin
        .call('listConfigurations', { name, ...(zoneid ? { zoneid } : {}) })
        .then((r) => r.body.configuration[0].value);
    assert.equal(await global('expunge.delay'), '120');
    await shot('settings');
    await page.getByRole('button', { name: 'Reset expunge.delay' }).click();
    await confirm('Reset setting', 'Reset');
    await page.getByRole('row', { name: /expunge\.delay\s*120/ }).waitFor({ state: 'detached' });
    assert.notEqual(await global('expunge.delay'), '120');

    const filters = page.getByRole('search', { name: 'Filter settings' });
    await filters.getByLabel('Search').fill('');
    await filters.getByLabel('Scope').selectOption({ label: `Zone ${ADVANCED}` });
    await page.getByRole('heading', { level: 1, name: `Settings of zone ${ADVANCED}` }).waitFor();
    const zoneSettings = (await admin.call('listConfigurations', { zoneid: zoneId })).body.configuration;
    await rows(zoneSettings.length);
    const zoneSetting = zoneSettings.find((c: any) => c.type === 'Boolean');
    assert.ok(zoneSetting, 'the zone has a boolean setting');
    const flipped = zoneSetting.value === 'true' ? 'false' : 'true';
    await page.getByRole('button', { name: `Edit ${zoneSetting.name}` }).click();
    const zedit = dialog(`Edit ${zoneSetting.name}`);
    await zedit.getByLabel('Value').selectOption(flipped);
    await submit(zedit, 'Save');
    await page.getByText(`${zoneSetting.name} set to ${flipped} zone ${ADVANCED}`).waitFor();
    assert.equal(await global(zoneSetting.name, zoneId), flipped);
    assert.equal(
      await global(zoneSetting.name),
      zoneSetting.defaultvalue ?? zoneSetting.value,
      'the global value is untouched',
    );
    await shot('settings-zone');
  });
});
