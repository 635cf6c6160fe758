import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MetadataService } from '@aws-sdk/ec2-metadata-service';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';

/** Real metadata clients act as an instance with nothing but an endpoint setting. */
describe('metadata clients nobody here wrote', () => {
  let s: TestServer;
  let vmId: string;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    const cs = await httpLogin(s.endpoint);
    const zone = (await cs.call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0].id;
    const offering = (await cs.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id;
    const template = (
      await cs.call('listTemplates', { templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })
    ).body.template[0].id;
    const d = await cs.call('deployVirtualMachine', {
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
      name: 'client-vm',
      userdata: Buffer.from('hello from user data').toString('base64'),
    });
    vmId = d.body.id;
    while ((await cs.call('queryAsyncJobResult', { jobid: d.body.jobid })).body.jobstatus === 0)
      await new Promise((r) => setTimeout(r, 10));
  });
  after(() => s.stop());

  it('@aws-sdk/ec2-metadata-service (IMDSv2 by default) reads instance-id and user-data', async () => {
    const md = new MetadataService({ endpoint: `${s.url}/_polystack/instances/${vmId}` });
    const id = await md.request('/latest/meta-data/instance-id', {});
    assert.match(id, /^i-[0-9a-f]{17}$/);
    assert.equal(await md.request('/latest/user-data', {}), 'hello from user data');
  });

  it('root-level IMDS paths answer as the chosen instance too (SDKs pointed at http://HOST:PORT/)', async () => {
    await fetch(`${s.url}/_polystack/metadata/instance`, {
      method: 'PUT',
      headers: {
        authorization: `Basic ${Buffer.from('admin:password').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ id: vmId }),
    });
    const md = new MetadataService({ endpoint: s.url });
    assert.equal(await md.request('/latest/meta-data/local-hostname', {}), 'client-vm');
  });

  it("gcp-metadata (Google's lookups), which takes only a host, after choosing the instance to act as", async () => {
    const choose = await fetch(`${s.url}/_polystack/metadata/instance`, {
      method: 'PUT',
      headers: {
        authorization: `Basic ${Buffer.from('admin:password').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ id: vmId }),
    });
    assert.equal(choose.status, 200);
    process.env['GCE_METADATA_HOST'] = new URL(s.url).host;
    const gcp = await import('gcp-metadata');
    assert.equal(await gcp.instance('name'), 'client-vm');
    assert.equal(await gcp.project('project-id'), 'polystack');
  });
});
