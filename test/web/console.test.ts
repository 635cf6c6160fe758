import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';
import { artifact, launch, login, newPage } from './browser.js';

/** Polls the instance page's state badge until `final`, returning every state it showed on the way. */
async function watchState(page: Page, final: string, ms = 20_000): Promise<string[]> {
  const seen: string[] = [];
  const badge = page.locator('.state-live .badge');
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const s = (await badge.textContent({ timeout: 1000 }).catch(() => null))?.trim();
    if (s && seen.at(-1) !== s) seen.push(s);
    if (s === final) return seen;
    await page.waitForTimeout(40);
  }
  throw new Error(`the instance never showed ${final}; it showed ${seen.join(' → ')}`);
}

describe('web console at /client/ (headless Chromium)', () => {
  let s: TestServer;
  let browser: Browser;
  let admin: HttpSession;

  before(async () => {
    // A slow simulated agent, so the transitional states are on screen long enough to be seen.
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '2500' } });
    browser = await launch();
    admin = await httpLogin(s.endpoint);
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('is served at /client/ beside the CloudStack API at /client/api', async () => {
    const redirect = await fetch(`${s.url}/client`, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), '/client/');
    const index = await fetch(`${s.url}/client/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /text\/html/);
    const script = /src="(\/client\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
    assert.ok(script, 'index.html names its script');
    const js = await fetch(`${s.url}${script}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await fetch(`${s.url}/client/assets/nope.js`)).status, 404);
    const api = await fetch(`${s.url}/client/api?command=listZones&response=json`);
    assert.equal(api.status, 401, 'the API still answers itself');
  });

  it('an admin deploys a VM through the wizard, watches it run, stops it and reads its console log', async () => {
    const { page, errors } = await newPage(browser);
    await login(page, s.url);
    await page.getByRole('link', { name: 'Deploy an instance' }).click();
    await page.getByRole('radio', { name: /Sandbox-simulator-basic/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /CentOS 5\.3/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /Small Instance/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('group', { name: 'Security groups' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Name', { exact: true }).fill('web-1');
    await page.getByLabel('User data').fill('#!/bin/sh\necho hello from the console test\n');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Review/ }).waitFor();
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();

    await page.getByRole('heading', { name: 'web-1', level: 1 }).waitFor();
    const deploying = await watchState(page, 'Running');
    assert.ok(
      deploying.includes('Starting'),
      `the page showed the VM starting before it ran: ${deploying.join(' → ')}`,
    );
    const vm = (await admin.call('listVirtualMachines', { name: 'web-1' })).body.virtualmachine[0];
    assert.equal(vm.state, 'Running');
    assert.ok(page.url().includes(`/instances/${vm.id}`));

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop instance' });
    await dialog.getByText('Stop web-1?').waitFor();
    await dialog.getByRole('button', { name: 'Stop' }).click();
    const stopping = await watchState(page, 'Stopped');
    assert.ok(stopping.includes('Stopping'), `the page showed the VM stopping: ${stopping.join(' → ')}`);
    assert.equal((await admin.call('listVirtualMachines', { id: vm.id })).body.virtualmachine[0].state, 'Stopped');
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor();

    await page.getByRole('tab', { name: 'Console log' }).click();
    const log = page.getByLabel('Console log of web-1');
    await log.waitFor();
    const text = (await log.textContent()) ?? '';
    assert.match(text, new RegExp(`booting web-1 \\(${vm.id}\\)`));
    assert.match(text, /running user script #!\/bin\/sh \(1 commands\)/);
    assert.match(text, /\+ echo hello from the console test/);

    await page.getByRole('tab', { name: 'User data' }).click();
    assert.match((await page.getByLabel('User data of web-1').textContent()) ?? '', /echo hello from the console test/);

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Instances' }).click();
    await page.getByRole('link', { name: 'web-1' }).waitFor();
    await page.screenshot({ path: artifact('instances.png'), fullPage: true });
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await page
      .getByRole('row', { name: /VM\.STOP/ })
      .first()
      .waitFor();
    await page.getByRole('img', { name: /Instances by state: Running 0, Stopped 1/ }).waitFor();
    await page.screenshot({ path: artifact('dashboard.png'), fullPage: true });
    assert.deepEqual(errors, []);
  });

  it('adds a security-group rule, creates a key pair once, and logs out', async () => {
    const { page, errors } = await newPage(browser);
    await login(page, s.url);
    await page.getByRole('link', { name: 'Security groups' }).click();
    await page.getByRole('link', { name: 'default' }).click();
    await page.getByRole('heading', { name: 'Security group default' }).waitFor();
    await page.getByRole('button', { name: 'Add ingress rule' }).click();
    const add = page.getByRole('dialog', { name: 'Add an ingress rule' });
    await add.getByLabel('Start port').fill('8080');
    await add.getByLabel('End port').fill('8081');
    await add.getByLabel('Source CIDR').fill('10.1.0.0/16');
    await add.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('cell', { name: '8080–8081', exact: true }).waitFor();
    const sg = (await admin.call('listSecurityGroups', { securitygroupname: 'default' })).body.securitygroup[0];
    assert.ok(
      sg.ingressrule.some((r: any) => r.startport === 8080 && r.endport === 8081 && r.cidr === '10.1.0.0/16'),
      JSON.stringify(sg.ingressrule),
    );

    // A refused rule shows the API's errortext and keeps the dialog open.
    await page.getByRole('button', { name: 'Add ingress rule' }).click();
    await add.getByLabel('Start port').fill('22');
    await add.getByLabel('Source CIDR').fill('not-a-cidr');
    await add.getByRole('button', { name: 'Add rule' }).click();
    await add.getByRole('alert').waitFor();
    assert.match((await add.getByRole('alert').textContent()) ?? '', /cidr/i);
    await add.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('link', { name: 'Key pairs' }).click();
    await page.getByRole('button', { name: 'Create key pair' }).click();
    await page.getByRole('dialog', { name: 'Create a key pair' }).getByLabel('Name').fill('console-key');
    await page.getByRole('dialog', { name: 'Create a key pair' }).getByRole('button', { name: 'Create' }).click();
    const shown = page.getByRole('dialog', { name: 'Private key of console-key' });
    const privateKey = (await shown.getByLabel('Private key').textContent()) ?? '';
    assert.match(privateKey, /-----BEGIN (RSA )?PRIVATE KEY-----/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      shown.getByRole('button', { name: 'Download console-key.pem' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'console-key.pem');
    assert.equal(readFileSync((await download.path())!, 'utf8'), privateKey);
    await shown.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row', { name: /console-key/ });
    await row.waitFor();
    const kp = (await admin.call('listSSHKeyPairs', { name: 'console-key' })).body.sshkeypair[0];
    assert.ok((await row.textContent())!.includes(kp.fingerprint));
    assert.equal(await page.getByText('BEGIN', { exact: false }).count(), 0, 'the private key is not shown again');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByText('You have logged out.').waitFor();
    await page.getByLabel('Username').waitFor();
    await page.reload();
    await page.getByLabel('Username').waitFor();
    assert.deepEqual(errors, []);
  });

  it('a user who is not an admin sees no infrastructure or account pages', async () => {
    const created = await admin.call('createAccount', {
      username: 'tenant',
      password: 'tenant-pw',
      email: 't@example.com',
      firstname: 'Ten',
      lastname: 'Ant',
      accounttype: '0',
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const { page, errors } = await newPage(browser);
    await login(page, s.url, 'tenant', 'tenant-pw');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Instances' }).waitFor();
    for (const hidden of ['Zones, pods, hosts', 'Fault rules', 'Domains & accounts'])
      assert.equal(await nav.getByRole('link', { name: hidden }).count(), 0, `${hidden} is hidden`);
    assert.equal(await page.getByRole('heading', { name: 'Capacity' }).count(), 0);
    await page.goto(`${s.url}/client/#/infrastructure`);
    await page.getByText('This page is for root administrators.').waitFor();
    await page.goto(`${s.url}/client/#/infrastructure/faults`);
    await page.getByText('This page is for root administrators.').waitFor();
    // The tenant's own instance list is empty: the admin's VM is not theirs.
    await page.goto(`${s.url}/client/#/instances`);
    await page.getByText('No instance matches.').waitFor();
    assert.deepEqual(errors, []);
  });

  it('the main pages work from the keyboard and every control has a label', async () => {
    const { page, errors } = await newPage(browser);
    await login(page, s.url);
    // The first stop of the Tab order is the skip link; the page opens with focus on its heading,
    // and the menu (two dozen links since the resource pages) is Shift+Tabs away.
    assert.equal(
      await page.evaluate(() => document.querySelector('a[href], button, input')?.textContent),
      'Skip to content',
    );
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Dashboard');
    let found = false;
    // Backwards through the menu, whose length grows with the console's pages.
    const menuLinks = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').count();
    for (let i = 0; i < menuLinks + 5 && !found; i++) {
      await page.keyboard.press('Shift+Tab');
      found = (await page.evaluate(() => document.activeElement?.textContent)) === 'Instances';
    }
    assert.ok(found, 'the Instances link is reachable with the keyboard');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Instances', level: 1 }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the new page');

    // Sorting by keyboard: the Name header is a button that announces its order.
    const nameHeader = page.getByRole('columnheader', { name: /Name/ });
    await nameHeader.getByRole('button').focus();
    await page.keyboard.press('Enter');
    assert.equal(await nameHeader.getAttribute('aria-sort'), 'ascending');

    // A dialog opened from the keyboard traps focus and closes with Escape.
    await page.goto(`${s.url}/client/#/key-pairs`);
    await page.getByRole('button', { name: 'Create key pair' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Create a key pair' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    for (const path of [
      '/',
      '/instances',
      '/instances/new',
      '/security-groups',
      '/key-pairs',
      '/networks',
      '/public-ips',
      '/infrastructure',
      '/infrastructure/faults',
      '/accounts',
    ]) {
      await page.goto(`${s.url}/client/#${path}`);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      // A string, not a function: tsx would wrap a nested function in a helper the page does not have.
      const unlabelled = await page.evaluate<
        string[]
      >(`[...document.querySelectorAll('input, select, textarea, button, a[href]')]
        .filter((el) => !((el.getAttribute('aria-label') ?? '') + (el.labels?.length ? 'label' : '') + (el.textContent ?? '').trim()))
        .map((el) => el.outerHTML.slice(0, 120))`);
      assert.deepEqual(unlabelled, [], `every control on ${path} has an accessible name`);
    }
    assert.deepEqual(errors, []);
  });

  it('a root admin adds and clears fault rules and generates API keys', async () => {
    const { page, errors } = await newPage(browser);
    await login(page, s.url);
    await page.getByRole('link', { name: 'Fault rules' }).click();
    await page.getByText('No agent fault: every simulated host command succeeds.').waitFor();
    await page.getByRole('button', { name: 'Add agent fault' }).click();
    const mock = page.getByRole('dialog', { name: 'Make the simulated agent fail' });
    await mock.getByLabel('Agent command').selectOption('StartCommand');
    await mock.getByLabel('Behaviour').fill('result:fail');
    await mock.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('row', { name: /StartCommand.*result:fail/ }).waitFor();
    await page.getByRole('button', { name: 'Add API fault' }).click();
    const rule = page.getByRole('dialog', { name: 'Make an API call fail or wait' });
    await rule.getByLabel('Operation').fill('listVolumes');
    await rule.getByLabel('HTTP status').fill('503');
    await rule.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('row', { name: /listVolumes.*error 503/ }).waitFor();
    const auth = { authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` };
    const listed = await (await fetch(`${s.url}/_polystack/faults`, { headers: auth })).json();
    assert.equal(listed.agentMocks.length, 1);
    assert.equal(listed.rules.length, 1);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.getByRole('dialog', { name: 'Clear all faults' }).getByRole('button', { name: 'Clear all' }).click();
    await page.getByText('No API fault.').waitFor();
    const cleared = await (await fetch(`${s.url}/_polystack/faults`, { headers: auth })).json();
    assert.deepEqual([cleared.agentMocks.length, cleared.rules.length], [0, 0]);

    await page.getByRole('link', { name: 'Domains & accounts' }).click();
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'API keys of tenant' }).click();
    const keys = page.getByRole('dialog', { name: 'API keys of tenant' });
    await keys.getByText('This user has no API keys.').waitFor();
    await keys.getByRole('button', { name: 'Generate keys' }).click();
    await keys.getByText('A new pair was generated').waitFor();
    const apiKey = (await keys.locator('code').first().textContent())!;
    const tenant = (await admin.call('listUsers', { username: 'tenant', listall: 'true' })).body.user[0];
    assert.equal(apiKey, tenant.apikey);
    assert.deepEqual(errors, []);
  });

  it('a tenant acquires a public IP and opens a port to its VM', async () => {
    const tenant = await httpLogin(s.endpoint, 'tenant', 'tenant-pw');
    const zone = (await tenant.call('listZones', { name: 'Sandbox-simulator-advanced' })).body.zone[0];
    const template = (await tenant.call('listTemplates', { templatefilter: 'executable', zoneid: zone.id })).body
      .template[0];
    const offering = (await tenant.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0];
    const deployed = await tenant.call('deployVirtualMachine', {
      zoneid: zone.id,
      templateid: template.id,
      serviceofferingid: offering.id,
      name: 'app-1',
    });
    assert.equal(deployed.status, 200, JSON.stringify(deployed.body));
    const { page, errors } = await newPage(browser);
    await login(page, s.url, 'tenant', 'tenant-pw');
    await page.getByRole('link', { name: 'Public IPs' }).click();
    await page.getByRole('cell', { name: 'source NAT' }).waitFor();
    await page.getByRole('button', { name: 'Acquire a public IP' }).click();
    const acquire = page.getByRole('dialog', { name: 'Acquire a public IP' });
    await acquire.getByLabel('Network').selectOption({ label: 'tenant-network (Sandbox-simulator-advanced)' });
    await acquire.getByRole('button', { name: 'Acquire' }).click();
    const heading = page.getByRole('heading', { name: /^Public IP \d/ });
    await heading.waitFor();
    const address = (await heading.textContent())!.replace('Public IP ', '');

    await page.getByRole('button', { name: 'Add firewall rule' }).click();
    const fw = page.getByRole('dialog', { name: 'Add a firewall rule' });
    await fw.getByLabel('Start port').fill('2222');
    await fw.getByLabel('End port').fill('2222');
    await fw.getByRole('button', { name: 'Add rule' }).click();
    await page
      .getByRole('table', { name: `Firewall rules of ${address}` })
      .getByRole('cell', { name: '2222', exact: true })
      .waitFor();

    await page.getByRole('button', { name: 'Add port forwarding' }).click();
    const pf = page.getByRole('dialog', { name: 'Forward a port' });
    await pf.getByLabel('Public port').fill('2222');
    await pf.getByLabel('Private port').fill('22');
    await pf.getByLabel('Instance').selectOption({ label: 'app-1' });
    await pf.getByRole('button', { name: 'Add rule' }).click();
    await page
      .getByRole('table', { name: `Port forwarding rules of ${address}` })
      .getByRole('cell', { name: 'app-1', exact: true })
      .waitFor();

    const ip = (await tenant.call('listPublicIpAddresses', { ipaddress: address })).body.publicipaddress[0];
    const rules = (await tenant.call('listPortForwardingRules', { ipaddressid: ip.id })).body.portforwardingrule;
    assert.equal(rules.length, 1);
    assert.deepEqual([rules[0].publicport, rules[0].privateport, rules[0].virtualmachinename], ['2222', '22', 'app-1']);
    assert.equal((await tenant.call('listFirewallRules', { ipaddressid: ip.id })).body.firewallrule[0].startport, 2222);
    assert.deepEqual(errors, []);
  });

  it('a root admin sees capacity and hosts, and puts a host into maintenance, where the server has the commands', async () => {
    const apis: string[] = (await admin.call('listApis')).body.api.map((a: { name: string }) => a.name);
    const { page, errors } = await newPage(browser);
    await login(page, s.url);
    if (apis.includes('listCapacity'))
      await page.getByRole('meter', { name: 'CPU in Sandbox-simulator-basic' }).waitFor();
    else await page.getByRole('meter', { name: 'Public IPs in Sandbox-simulator-advanced' }).waitFor();
    await page.getByRole('link', { name: 'Zones, pods, hosts' }).click();
    await page.getByRole('cell', { name: 'Basic (security groups)' }).waitFor();
    await page.getByRole('tab', { name: 'Hosts' }).click();
    if (!apis.includes('listHosts')) {
      // A server without the command: the page says so rather than failing.
      await page.getByText('This server does not answer listHosts.').waitFor();
      assert.deepEqual(errors, []);
      return;
    }
    const zone = (await admin.call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0];
    const host = (await admin.call('listHosts', { zoneid: zone.id, type: 'Routing' })).body.host[0];
    const row = page.getByRole('row', { name: new RegExp(host.name.replace(/[.]/g, '\\.')) });
    await row.getByRole('meter', { name: `Memory of ${host.name}` }).waitFor();
    if (apis.includes('prepareHostForMaintenance')) {
      await row.getByRole('button', { name: 'Enable maintenance' }).click();
      await page
        .getByRole('dialog', { name: 'Put host into maintenance' })
        .getByRole('button', { name: 'Enable maintenance' })
        .click();
      await row.getByRole('button', { name: 'Cancel maintenance' }).waitFor({ timeout: 20_000 });
      assert.equal((await admin.call('listHosts', { id: host.id })).body.host[0].resourcestate, 'Maintenance');
      await row.getByRole('button', { name: 'Cancel maintenance' }).click();
      await page
        .getByRole('dialog', { name: 'End host maintenance' })
        .getByRole('button', { name: 'Cancel maintenance' })
        .click();
      await row.getByRole('button', { name: 'Enable maintenance' }).waitFor({ timeout: 20_000 });
    }
    assert.deepEqual(errors, []);
  });

  it('a session that expires sends the user back to the login form with a message', async () => {
    const { page } = await newPage(browser);
    await login(page, s.url);
    const auth = {
      authorization: `Basic ${Buffer.from('admin:password').toString('base64')}`,
      'content-type': 'application/json',
    };
    const r = await fetch(`${s.url}/_polystack/clock`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ advance: '31m' }),
    });
    assert.equal(r.status, 200);
    // The next call notices: opening a page, or the dashboard's own refresh, whichever comes first.
    await page.evaluate('location.hash = "#/instances"');
    await page.getByText('Your session has expired or was ended. Log in again.').waitFor();
    await page.getByLabel('Username').waitFor();
  });
});
