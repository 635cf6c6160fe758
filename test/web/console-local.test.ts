import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_API_KEY, ADMIN_SECRET_KEY, startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';
import { artifact, launch, login, SHOTS, watchedPage } from './browser.js';

const auth = {
  authorization: `Basic ${Buffer.from('admin:password').toString('base64')}`,
  'content-type': 'application/json',
};

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('web console: local-cloud controls, activity, the other fronts (headless Chromium)', () => {
  let s: TestServer;
  let browser: Browser;
  let admin: HttpSession;
  let vmId = '';

  before(async () => {
    s = await startServer();
    browser = await launch();
    admin = await httpLogin(s.endpoint);
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('the wizard refuses a bad name, shows the generated password of a password-enabled template, the IP, the group rules, and force-stops', async () => {
    const { page, errors } = await watchedPage(browser);
    await login(page, s.url);
    await page.getByRole('link', { name: 'Deploy an instance' }).click();
    await page.getByRole('radio', { name: /Sandbox-simulator-basic/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /Ubuntu 22\.04/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /Small Instance/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('group', { name: 'Security groups' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    const name = page.getByLabel('Name', { exact: true });
    // The pattern is a valid expression under the v flag, so the browser enforces it.
    await name.fill('bad_name!');
    assert.equal(
      await page.evaluate<boolean>('document.querySelector("input[pattern]").validity.patternMismatch'),
      true,
    );
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForTimeout(200);
    assert.equal(
      await page.getByRole('heading', { name: /Review/ }).count(),
      0,
      'a name the pattern refuses keeps the wizard on its step',
    );
    await name.fill('pw-1');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();

    const shown = page.getByLabel('Generated password');
    await shown.waitFor({ timeout: 30_000 });
    const password = (await shown.textContent())!.trim();
    assert.match(password, /^\S{6,}$/);
    const vm = (await admin.call('listVirtualMachines', { name: 'pw-1' })).body.virtualmachine[0];
    vmId = vm.id;
    assert.equal(vm.passwordenabled, true);
    const ip = vm.nic[0].ipaddress as string;
    assert.equal((await page.getByLabel('IP address').textContent())?.trim(), `IP ${ip}`);
    await page
      .getByRole('term')
      .filter({ hasText: /^IP address$/ })
      .waitFor();
    await shoot(page, 'instance');
    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByLabel('Generated password').count(), 0, 'the password is gone once dismissed');

    const sg = (await admin.call('listSecurityGroups', { securitygroupname: 'default' })).body.securitygroup[0];
    const added = await admin.call('authorizeSecurityGroupIngress', {
      securitygroupid: sg.id,
      protocol: 'tcp',
      startport: '443',
      endport: '443',
      cidrlist: '192.0.2.0/24',
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    await page.getByRole('tab', { name: 'Security groups' }).click();
    const rules = page.getByRole('table', { name: 'Rules of default' });
    await rules.getByRole('row', { name: /ingress\s*tcp\s*443\s*192\.0\.2\.0\/24/ }).waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: 'Force stop' }).click();
    await page.getByRole('dialog', { name: 'Force stop instance' }).getByRole('button', { name: 'Force stop' }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 30_000 });
    assert.equal((await admin.call('listVirtualMachines', { id: vm.id })).body.virtualmachine[0].state, 'Stopped');
    const stops = (await admin.call('listEvents', { type: 'VM.STOP', listall: 'true' })).body.event ?? [];
    assert.ok(stops.length >= 1);
    assert.deepEqual(errors, []);
  });

  it('the EC2 and GCE views show the ids and names those fronts answer to, and the credentials download', async () => {
    const { page, errors } = await watchedPage(browser);
    await login(page, s.url);
    const vm = (await admin.call('listVirtualMachines', { id: vmId })).body.virtualmachine[0];
    const vol = (await admin.call('listVolumes', { virtualmachineid: vmId, type: 'ROOT' })).body.volume[0];
    await page.getByRole('link', { name: 'EC2 view' }).click();
    const row = page.getByRole('table', { name: 'Instances in the EC2 view' }).getByRole('row', { name: /pw-1/ });
    await row.waitFor();
    const instanceId = (await row.locator('code').first().textContent())!;
    assert.match(instanceId, /^i-[0-9a-f]{17}$/);
    assert.match(
      (await row.textContent())!,
      new RegExp(`aws --endpoint-url ${s.url} ec2 describe-instances --instance-ids ${instanceId}`),
    );
    assert.match((await row.textContent())!, /stopped/);
    const volumeId = (await page
      .getByRole('table', { name: 'Volumes (disks) in the EC2 view' })
      .getByRole('row', { name: new RegExp(vol.name) })
      .locator('code')
      .first()
      .textContent())!;
    const imageId = (await page
      .getByRole('table', { name: 'Templates (images) in the EC2 view' })
      .getByRole('row', { name: /Ubuntu 22\.04/ })
      .locator('code')
      .first()
      .textContent())!;
    const groupId = (await page
      .getByRole('table', { name: 'Security groups (firewalls) in the EC2 view' })
      .getByRole('row', { name: /default/ })
      .locator('code')
      .first()
      .textContent())!;
    await shoot(page, 'ec2-view');

    // The EC2 front answers to those ids, straight away and without a listing first.
    const ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: ADMIN_API_KEY, secretAccessKey: ADMIN_SECRET_KEY },
    });
    const inst = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]
      ?.Instances?.[0];
    assert.equal(inst?.PrivateIpAddress, vm.nic[0].ipaddress);
    assert.equal(
      (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes?.[0]?.VolumeId,
      volumeId,
    );
    assert.equal((await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.[0]?.ImageId, imageId);
    assert.equal(
      (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0]?.GroupName,
      'default',
    );
    ec2.destroy();

    await page.getByRole('link', { name: 'GCE view' }).click();
    const grow = page.getByRole('table', { name: 'Instances in the GCE view' }).getByRole('row', { name: /pw-1/ });
    await grow.waitFor();
    const text = (await grow.textContent())!;
    assert.match(text, /gcloud compute instances describe pw-1 --zone sandbox-simulator-basic --project admin/);
    assert.match(text, /TERMINATED/);
    const gid = (await grow.locator('code').nth(1).textContent())!;
    await shoot(page, 'gce-view');
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: ADMIN_API_KEY,
      client_secret: ADMIN_SECRET_KEY,
    });
    const token = (
      (await (await fetch(`${s.url}/token`, { method: 'POST', body: form })).json()) as { access_token: string }
    ).access_token;
    const got = await fetch(`${s.url}/compute/v1/projects/admin/zones/sandbox-simulator-basic/instances/pw-1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(got.status, 200);
    const gce = (await got.json()) as { id: string; name: string; disks: { source: string }[] };
    assert.equal(gce.id, gid);
    const diskName = (await page
      .getByRole('table', { name: 'Volumes (disks) in the GCE view' })
      .getByRole('row', { name: new RegExp(vol.name) })
      .locator('code')
      .first()
      .textContent())!;
    assert.ok(gce.disks[0]!.source.endsWith(`/disks/${diskName}`), `${gce.disks[0]!.source} is disk ${diskName}`);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credentials' }).click();
    await page.getByRole('heading', { name: 'AWS (EC2)' }).waitFor();
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download aws.env' }).click(),
    ]);
    assert.equal(file.suggestedFilename(), 'aws.env');
    const env = readFileSync((await file.path())!, 'utf8');
    assert.match(env, new RegExp(`^export AWS_ACCESS_KEY_ID=${ADMIN_API_KEY}$`, 'm'));
    assert.match(env, new RegExp(`^export AWS_ENDPOINT_URL=${s.url}$`, 'm'));
    const [gfile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download gce.env' }).click(),
    ]);
    assert.match(
      readFileSync((await gfile.path())!, 'utf8'),
      /^export CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE=.*\/compute\/v1\/$/m,
    );
    const [kfile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download a service-account key file' }).click(),
    ]);
    const key = JSON.parse(readFileSync((await kfile.path())!, 'utf8')) as Record<string, string>;
    assert.equal(kfile.suggestedFilename(), 'admin-key.json');
    assert.equal(key['type'], 'service_account');
    assert.equal(key['project_id'], 'admin');
    assert.equal(key['token_uri'], `${s.url}/token`);
    await shoot(page, 'credentials');
    assert.deepEqual(errors, []);
  });

  it('events filter by level and type, jobs list the deploy, alerts and capacity per zone, pod and cluster show', async () => {
    const generated = await admin.call('generateAlert', {
      type: '101',
      name: 'ALERT.CONSOLE.TEST',
      description: 'raised for the console test',
    });
    assert.equal(generated.status, 200, JSON.stringify(generated.body));
    const { page, errors } = await watchedPage(browser);
    await login(page, s.url);
    await page.getByRole('link', { name: 'Events' }).click();
    await page
      .getByRole('row', { name: /VM\.CREATE/ })
      .first()
      .waitFor();
    await page.getByLabel('Type').fill('VM.STOP');
    // The unfiltered page holds the VM.STOP event too: wait for the filter to take the others away.
    await page
      .getByRole('row', { name: /VM\.CREATE/ })
      .first()
      .waitFor({ state: 'detached' });
    await page
      .getByRole('row', { name: /VM\.STOP/ })
      .first()
      .waitFor();
    assert.match(page.url(), /type=VM\.STOP/);
    await page.getByLabel('Type').fill('');
    await page.getByLabel('Level').selectOption('ERROR');
    await page.getByText('No event matches.').waitFor();
    await page.getByLabel('Level').selectOption('');
    await page
      .getByRole('row', { name: /VM\.CREATE/ })
      .first()
      .waitFor();
    await shoot(page, 'events');

    await page.getByRole('link', { name: 'Async jobs' }).click();
    const deploy = page.getByRole('row', { name: /DeployVM.*succeeded/ });
    await deploy.first().waitFor();
    await deploy.first().getByRole('link').waitFor();
    await shoot(page, 'jobs');

    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('row', { name: /ALERT\.CONSOLE\.TEST.*raised for the console test/ }).waitFor();
    await shoot(page, 'alerts');

    await page.getByRole('link', { name: 'Capacity' }).click();
    await page
      .getByRole('meter', { name: /in Sandbox-simulator-basic$/ })
      .first()
      .waitFor();
    await shoot(page, 'capacity');
    const pods = (await admin.call('listPods')).body.pod as { name: string; zonename: string }[];
    await page.getByLabel('Per').selectOption('pod');
    // One card per pod, named with its zone (pods of different zones may share a name).
    for (const p of pods) await page.getByRole('heading', { name: `${p.name} ${p.zonename}`, exact: true }).waitFor();
    await page
      .getByRole('meter', { name: new RegExp(`in ${pods[0]!.name}$`) })
      .first()
      .waitFor();
    const clusters = (await admin.call('listClusters')).body.cluster as { name: string }[];
    await page.getByLabel('Per').selectOption('cluster');
    await page
      .getByRole('meter', { name: new RegExp(`in ${clusters[0]!.name}$`) })
      .first()
      .waitFor();
    assert.deepEqual(errors, []);
  });

  it('the local-cloud page freezes, advances and sets the clock, streams events, saves, resets and loads the cloud', async () => {
    const { page, errors } = await watchedPage(browser);
    await login(page, s.url);
    await page.getByRole('link', { name: 'Clock, reset, state' }).click();
    await page.getByText('running', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Freeze' }).click();
    await page.getByText('frozen', { exact: true }).waitFor();
    const clock = async () =>
      (await (await fetch(`${s.url}/_polystack/clock`, { headers: auth })).json()) as {
        epochMillis: number;
        frozen: boolean;
      };
    const frozenAt = await clock();
    assert.equal(frozenAt.frozen, true);
    await page.getByLabel('Advance by').fill('2h');
    await page.getByRole('button', { name: 'Advance' }).click();
    await page.waitForFunction(
      `document.querySelector('[aria-label="Cloud time"]')?.textContent.includes('${new Date(frozenAt.epochMillis + 2 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}')`,
    );
    assert.equal((await clock()).epochMillis, frozenAt.epochMillis + 2 * 3600_000);
    await page.getByLabel('Set to').fill('2030-01-02T03:04:05');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    const expected = Date.parse(await page.evaluate<string>(`new Date('2030-01-02T03:04:05').toISOString()`));
    await page.waitForFunction(
      `document.querySelector('[aria-label="Cloud time"]')?.textContent.startsWith('${new Date(expected).toISOString().slice(0, 10)}')`,
    );
    assert.equal((await clock()).epochMillis, expected);
    await page.getByRole('button', { name: 'Unfreeze' }).click();
    await page.getByText('running', { exact: true }).waitFor();
    assert.equal((await clock()).frozen, false);
    await page.getByLabel('Seed manifest').waitFor();
    // The console session that moved the clock lives on; the test's own HTTP session aged past its timeout.
    assert.equal((await admin.call('listZones')).status, 401);
    admin = await httpLogin(s.endpoint);

    // The live stream shows what happens while the page is open.
    const made = await admin.call('createSecurityGroup', { name: 'live-group' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    await page
      .getByRole('table', { name: 'Live events and jobs' })
      .getByRole('row', { name: /SG\.CREATE/ })
      .waitFor({ timeout: 20_000 });
    await shoot(page, 'local-cloud');

    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download a snapshot' }).click(),
    ]);
    const snapshotPath = artifact('console-snapshot.json');
    await file.saveAs(snapshotPath);
    const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as {
      format: string;
      tables: Record<string, unknown[]>;
    };
    assert.equal(snapshot.format, 'polystack-state');

    // One account emptied: the admin's instance goes, the account stays.
    await page.getByLabel('Account', { exact: true }).selectOption({ label: 'admin (ROOT)' });
    await page.getByRole('button', { name: 'Reset the account' }).click();
    await page
      .getByRole('dialog', { name: 'Reset an account' })
      .getByRole('button', { name: 'Reset the account' })
      .click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    assert.equal((await admin.call('listVirtualMachines', { id: vmId })).body.virtualmachine, undefined);

    // The snapshot brings the instance (and this session, which it holds) back.
    await page.getByLabel('Snapshot file').setInputFiles(snapshotPath);
    await page.getByRole('button', { name: 'Load the snapshot' }).click();
    await page.getByText(/^Loaded console-snapshot\.json: \d+ tables\.$/).waitFor();
    assert.equal((await admin.call('listVirtualMachines', { id: vmId })).body.virtualmachine?.[0]?.name, 'pw-1');

    // A file that is not a snapshot changes nothing and says why.
    const bad = artifact('not-a-snapshot.json');
    writeFileSync(bad, JSON.stringify({ format: 'polystack-state', version: 1, tables: {}, checksum: 'nope' }));
    await page.getByLabel('Snapshot file').setInputFiles(bad);
    await page.getByRole('button', { name: 'Load the snapshot' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /checksum/ })
      .waitFor();
    assert.equal((await admin.call('listVirtualMachines', { id: vmId })).body.virtualmachine?.[0]?.name, 'pw-1');

    // The whole cloud back to its seed ends every session, this one too: the console says so.
    await page.getByRole('button', { name: 'Reset the cloud' }).click();
    await page
      .getByRole('dialog', { name: 'Reset the cloud' })
      .getByRole('button', { name: 'Reset the cloud' })
      .click();
    await page
      .getByText('The cloud was reset to its seed. Your session ended with it: log in again.')
      .waitFor({ timeout: 30_000 });
    const fresh = await httpLogin(s.endpoint);
    assert.equal((await fresh.call('listVirtualMachines', { listall: 'true' })).body.virtualmachine, undefined);
    // Chromium itself logs the two refusals this test provokes (the bad snapshot's 400, and the 401
    // that told the console its session was gone); the console logs nothing.
    assert.deepEqual(
      errors.filter((e) => !/Failed to load resource: the server responded with a status of (400|401)/.test(e)),
      [],
    );
    assert.equal(errors.length, 2, errors.join('\n'));
  });

  it('every page opens without a browser-console error, and each leaves a screenshot for the docs', async () => {
    const { page, errors } = await watchedPage(browser);
    await login(page, s.url);
    const pages: [string, string][] = [
      ['/', 'dashboard'],
      ['/instances', 'instances'],
      ['/instances/new', 'deploy-wizard'],
      ['/security-groups', 'security-groups'],
      ['/key-pairs', 'key-pairs'],
      ['/networks', 'networks'],
      ['/public-ips', 'public-ips'],
      ['/infrastructure', 'infrastructure'],
      ['/infrastructure/faults', 'faults'],
      ['/accounts', 'accounts'],
      ['/events', 'events'],
      ['/jobs', 'jobs'],
      ['/alerts', 'alerts'],
      ['/capacity', 'capacity'],
      ['/fronts/ec2', 'ec2-view'],
      ['/fronts/gce', 'gce-view'],
      ['/credentials', 'credentials'],
      ['/local', 'local-cloud'],
      // The resource pages (test/web/resources.test.ts walks and photographs them in use).
      ...(
        [
          'affinity-groups',
          'volumes',
          'snapshots',
          'vm-snapshots',
          'templates',
          'isos',
          'vpcs',
          'load-balancers',
          'port-forwarding',
          'projects',
          'offerings',
          'settings',
        ] as const
      ).map((p): [string, string] => [`/${p}`, `resource:${p}`]),
    ];
    // Every menu entry is one of them: a new page cannot be left out of the walk.
    const menu = await page.evaluate<string[]>(
      `[...document.querySelectorAll('nav[aria-label=Main] a')].map((a) => a.getAttribute('href'))`,
    );
    assert.deepEqual(
      menu.map((h) => h.replace(/^#/, '')).filter((h) => !pages.some(([p]) => p === h)),
      [],
    );
    for (const [path, name] of pages) {
      await page.goto(`${s.url}/client/#${path}`);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      assert.equal(
        await page.getByRole('alert').count(),
        0,
        `${path} shows no error: ${await page.getByRole('alert').allTextContents()}`,
      );
      // A string, not a function: tsx would wrap a nested function in a helper the page does not have.
      const unlabelled = await page.evaluate<
        string[]
      >(`[...document.querySelectorAll('input, select, textarea, button, a[href]')]
        .filter((el) => !((el.getAttribute('aria-label') ?? '') + (el.labels?.length ? 'label' : '') + (el.textContent ?? '').trim()))
        .map((el) => el.outerHTML.slice(0, 120))`);
      assert.deepEqual(unlabelled, [], `every control on ${path} has an accessible name`);
      // The pages the other tests already photographed in a richer state keep that picture.
      if (
        !name.startsWith('resource:') &&
        ![
          'instance',
          'ec2-view',
          'gce-view',
          'credentials',
          'events',
          'jobs',
          'alerts',
          'capacity',
          'local-cloud',
        ].includes(name)
      )
        await shoot(page, name);
    }
    assert.deepEqual(errors, []);
  });

  it('a user who is not an admin walks every page of their menu without a browser-console error, and makes keys on the credentials page', async () => {
    const root = await httpLogin(s.endpoint);
    const made = await root.call('createAccount', {
      username: 'walker',
      password: 'walker-pw',
      email: 'w@example.com',
      firstname: 'Wal',
      lastname: 'Ker',
      accounttype: '0',
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const { page, errors } = await watchedPage(browser);
    await login(page, s.url, 'walker', 'walker-pw');
    const menu = await page.evaluate<string[]>(
      `[...document.querySelectorAll('nav[aria-label=Main] a')].map((a) => a.getAttribute('href'))`,
    );
    for (const hidden of ['#/local', '#/alerts', '#/capacity'])
      assert.ok(!menu.includes(hidden), `${hidden} is for root admins`);
    for (const h of menu) {
      await page.goto(`${s.url}/client/${h}`);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(
        await page.getByRole('alert').count(),
        0,
        `${h} shows no error: ${await page.getByRole('alert').allTextContents()}`,
      );
    }
    await page.goto(`${s.url}/client/#/credentials`);
    await page.getByText('You have no API keys yet.').waitFor();
    await page.getByRole('button', { name: 'Generate keys' }).click();
    const exports = page.getByLabel('CloudStack exports');
    await exports.waitFor();
    const user = (await root.call('listUsers', { username: 'walker', listall: 'true' })).body.user[0];
    assert.match((await exports.textContent())!, new RegExp(`export CLOUDSTACK_KEY=${user.apikey}`));
    assert.deepEqual(errors, []);
  });
});
