import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';

describe('instance metadata (EC2 IMDS and CloudStack virtual-router paths)', () => {
  let s: TestServer;
  let cs: HttpSession;
  let vm: any;
  let publicKey: string;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    cs = await httpLogin(s.endpoint);
    publicKey = (await cs.call('createSSHKeyPair', { name: 'md-key' })).body.keypair.fingerprint;
    const zone = (await cs.call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0].id;
    const offering = (await cs.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id;
    const template = (
      await cs.call('listTemplates', { templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })
    ).body.template[0].id;
    const d = await cs.call('deployVirtualMachine', {
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
      name: 'md-vm',
      keypair: 'md-key',
      userdata: Buffer.from('#cloud-config\nusers: [alice]\n').toString('base64'),
    });
    for (;;) {
      const j = (await cs.call('queryAsyncJobResult', { jobid: d.body.jobid })).body;
      if (j.jobstatus !== 0) {
        vm = j.jobresult.virtualmachine;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  after(() => s.stop());

  const md = (id: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${s.url}/_polystack/instances/${id}/latest/${path}`, { headers });

  it('IMDSv1 answers the instance its own facts', async () => {
    const iid = await (await md(vm.id, 'meta-data/instance-id')).text();
    assert.match(iid, /^i-[0-9a-f]{17}$/);
    assert.equal(await (await md(vm.id, 'meta-data/local-ipv4')).text(), vm.ipaddress);
    assert.equal(await (await md(vm.id, 'meta-data/placement/availability-zone')).text(), 'Sandbox-simulator-basic');
    assert.equal(await (await md(vm.id, 'meta-data/instance-type')).text(), 't2.micro');
    assert.equal(await (await md(vm.id, 'user-data')).text(), '#cloud-config\nusers: [alice]\n');
    assert.match(await (await md(vm.id, 'meta-data/public-keys/0/openssh-key')).text(), /^ssh-rsa AAAA/);
    assert.ok(publicKey);
    const doc = await (await md(iid, 'dynamic/instance-identity/document')).json();
    assert.equal(doc.instanceId, iid, 'the EC2 id works as the base too');
    assert.equal(
      await (await md(vm.id, 'meta-data/service-offering')).text(),
      'Small Instance',
      'CloudStack virtual-router item',
    );
  });

  it('IMDSv2: a token from PUT works; a bad one is refused', async () => {
    const t = await fetch(`${s.url}/_polystack/instances/${vm.id}/latest/api/token`, {
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
    });
    assert.equal(t.status, 200);
    const token = await t.text();
    assert.equal((await md(vm.id, 'meta-data/local-hostname', { 'x-aws-ec2-metadata-token': token })).status, 200);
    assert.equal((await md(vm.id, 'meta-data/local-hostname', { 'x-aws-ec2-metadata-token': 'forged' })).status, 401);
    const noTtl = await fetch(`${s.url}/_polystack/instances/${vm.id}/latest/api/token`, { method: 'PUT' });
    assert.equal(noTtl.status, 400);
  });

  it('tag names are read as sent: a %-escape in one is not decoded twice (that was a 500), and no name reaches Object.prototype', async () => {
    const t = await cs.call('createTags', {
      resourceids: vm.id,
      resourcetype: 'UserVm',
      'tags[0].key': '50%off',
      'tags[0].value': 'yes',
    });
    while ((await cs.call('queryAsyncJobResult', { jobid: t.body.jobid })).body.jobstatus === 0)
      await new Promise((r) => setTimeout(r, 10));
    const tag = await md(vm.id, 'meta-data/tags/instance/50%25off');
    assert.deepEqual([tag.status, await tag.text()], [200, 'yes']);
    for (const name of ['%25E0%25A4%25A', 'constructor', '__proto__'])
      assert.equal((await md(vm.id, `meta-data/tags/instance/${name}`)).status, 404, name);
  });

  it('unknown and stopped instances have no metadata', async () => {
    assert.equal((await md('i-00000000000000000', 'meta-data/instance-id')).status, 404);
    const stop = await cs.call('stopVirtualMachine', { id: vm.id });
    for (;;) {
      if ((await cs.call('queryAsyncJobResult', { jobid: stop.body.jobid })).body.jobstatus !== 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const r = await md(vm.id, 'meta-data/instance-id');
    assert.equal(r.status, 404);
    assert.match(await r.text(), /Stopped/);
  });
});

describe('GCE metadata server', () => {
  let s: TestServer;
  let vmId: string;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    const cs = await httpLogin(s.endpoint);
    await cs.call('createSSHKeyPair', { name: 'gce-key' });
    const zone = (await cs.call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0].id;
    const offering = (await cs.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id;
    const template = (
      await cs.call('listTemplates', { templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })
    ).body.template[0].id;
    const d = await cs.call('deployVirtualMachine', {
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
      name: 'gce-vm',
      keypair: 'gce-key',
      userdata: Buffer.from('#!/bin/sh\necho up\n').toString('base64'),
    });
    vmId = d.body.id;
    while ((await cs.call('queryAsyncJobResult', { jobid: d.body.jobid })).body.jobstatus === 0)
      await new Promise((r) => setTimeout(r, 10));
  });
  after(() => s.stop());

  const md = (path: string, flavor = true) =>
    fetch(`${s.url}/_polystack/instances/${vmId}/computeMetadata/v1/${path}`, {
      headers: flavor ? { 'Metadata-Flavor': 'Google' } : {},
    });

  it('answers with the Metadata-Flavor header only', async () => {
    assert.equal((await md('instance/name', false)).status, 403);
    const r = await md('instance/name');
    assert.equal(r.headers.get('metadata-flavor'), 'Google');
    assert.equal(await r.text(), 'gce-vm');
  });

  it('serves attributes: startup-script, user-data and ssh-keys; directories list their keys; recursive is JSON', async () => {
    assert.equal(await (await md('instance/attributes/startup-script')).text(), '#!/bin/sh\necho up\n');
    assert.match(await (await md('instance/attributes/ssh-keys')).text(), /^gce-key:ssh-rsa AAAA/);
    assert.match(await (await md('instance/')).text(), /^attributes\/$/m);
    const all = await (await md('instance/?recursive=true')).json();
    assert.equal(all.name, 'gce-vm');
    assert.match(all.zone, /zones\/Sandbox-simulator-basic$/);
    assert.ok(all['network-interfaces'][0].ip);
    assert.equal((await md('instance/attributes/nope')).status, 404);
    // Paths arrive decoded: a second decode made `%25E0...` a URIError and a 500.
    for (const name of ['%25E0%25A4%25A', 'constructor', 'toString'])
      assert.equal((await md(`instance/attributes/${name}`)).status, 404, name);
  });
});
