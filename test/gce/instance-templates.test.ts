import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GlobalOperationsClient,
  InstancesClient,
  InstanceTemplatesClient,
  RegionInstanceTemplatesClient,
  RegionOperationsClient,
  ZoneOperationsClient,
} from '@google-cloud/compute';
import { OAuth2Client } from 'google-auth-library';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';

const ZONE = 'sandbox-simulator-basic';
const REGION = 'local';
type Opts = NonNullable<ConstructorParameters<typeof InstanceTemplatesClient>[0]>;

/** Instance templates (the front's own store) and instances made from them, through @google-cloud/compute. */
describe('GCE front: instance templates through @google-cloud/compute', () => {
  let s: TestServer;
  let cs: HttpSession;
  let opts: Opts;
  const project = 'admin';
  const optsFor = async (apiKey: string, secretKey: string): Promise<Opts> => {
    const res = await fetch(`${s.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: apiKey, client_secret: secretKey }),
    });
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: ((await res.json()) as { access_token: string }).access_token });
    return {
      apiEndpoint: new URL(s.url).hostname,
      port: Number(new URL(s.url).port),
      protocol: 'http',
      authClient: auth,
    };
  };
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
    cs = await httpLogin(s.endpoint);
    opts = await optsFor(s.apiKey, s.secretKey);
  });
  after(() => s.stop());

  type Started = Promise<[{ latestResponse: { name?: string | null } }, ...unknown[]]>;
  const done = <T extends { status?: unknown; error?: unknown }>(op: T): T => {
    assert.equal(op.status, 'DONE');
    assert.ok(!op.error, JSON.stringify(op.error));
    return op;
  };
  const runGlobal = async (p: Started, o = opts) =>
    done(
      (
        await new GlobalOperationsClient(o).wait({
          project: o === opts ? project : 'bob',
          operation: (await p)[0].latestResponse.name!,
        })
      )[0],
    );
  const runRegion = async (p: Started) =>
    done(
      (
        await new RegionOperationsClient(opts).wait({
          project,
          region: REGION,
          operation: (await p)[0].latestResponse.name!,
        })
      )[0],
    );
  const runZone = async (p: Started) =>
    done(
      (
        await new ZoneOperationsClient(opts).wait({ project, zone: ZONE, operation: (await p)[0].latestResponse.name! })
      )[0],
    );
  const refused = (p: Promise<unknown>, code: number, reason?: string) =>
    assert.rejects(p, (e: any) => {
      assert.equal(e.code, code, e.message);
      if (reason) assert.match(JSON.stringify(e.details ?? e.errors ?? e.message), new RegExp(reason), e.message);
      return true;
    });
  const properties = {
    machineType: 'small-instance',
    labels: { tier: 'web' },
    tags: { items: ['http'] },
    disks: [{ boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } }],
    metadata: { items: [{ key: 'startup-script', value: '#!/bin/sh\necho from-template' }] },
    networkInterfaces: [{ network: 'global/networks/default' }],
  };

  it('inserts, gets, lists and deletes global and regional templates, refusing what Google refuses', async () => {
    const templates = new InstanceTemplatesClient(opts);
    const op = await runGlobal(
      templates.insert({ project, instanceTemplateResource: { name: 'web', description: 'web tier', properties } }),
    );
    assert.equal(op.operationType, 'insert');
    const [t] = await templates.get({ project, instanceTemplate: 'web' });
    assert.deepEqual(
      [t.kind, t.name, t.description, String(t.id), t.selfLink],
      [
        'compute#instanceTemplate',
        'web',
        'web tier',
        String(op.targetId),
        `https://www.googleapis.com/compute/v1/projects/${project}/global/instanceTemplates/web`,
      ],
    );
    assert.match(String(t.id), /^\d+$/);
    assert.ok(t.creationTimestamp);
    const p = t.properties!;
    assert.deepEqual(
      [p.machineType, p.labels, p.tags?.items, p.canIpForward],
      ['small-instance', { tier: 'web' }, ['http'], false],
    );
    assert.deepEqual(
      [p.disks![0]!.boot, p.disks![0]!.autoDelete, p.disks![0]!.type, p.disks![0]!.mode],
      [true, true, 'PERSISTENT', 'READ_WRITE'],
    );
    assert.deepEqual([p.scheduling?.onHostMaintenance, p.scheduling?.automaticRestart], ['MIGRATE', true]);
    assert.ok(p.metadata?.fingerprint);

    await refused(
      templates.insert({ project, instanceTemplateResource: { name: 'web', properties } }),
      409,
      'already exists',
    );
    await refused(
      templates.insert({
        project,
        instanceTemplateResource: { name: 'bad', properties: { ...properties, machineType: 'n9-huge' } },
      }),
      400,
      'n9-huge',
    );
    await refused(
      templates.insert({
        project,
        instanceTemplateResource: {
          name: 'bad',
          properties: {
            ...properties,
            disks: [{ boot: true, initializeParams: { sourceImage: 'global/images/nope' } }],
          },
        },
      }),
      404,
    );
    await refused(templates.insert({ project, instanceTemplateResource: { name: 'bad' } }), 400, 'properties');
    await refused(templates.insert({ project, instanceTemplateResource: { name: 'Bad Name', properties } }), 400);
    await refused(templates.get({ project, instanceTemplate: 'nope' }), 404);

    const regional = new RegionInstanceTemplatesClient(opts);
    await runRegion(
      regional.insert({ project, region: REGION, instanceTemplateResource: { name: 'web-r', properties } }),
    );
    const [r] = await regional.get({ project, region: REGION, instanceTemplate: 'web-r' });
    assert.equal(r.region, `https://www.googleapis.com/compute/v1/projects/${project}/regions/${REGION}`);
    assert.equal(
      r.selfLink,
      `https://www.googleapis.com/compute/v1/projects/${project}/regions/${REGION}/instanceTemplates/web-r`,
    );
    await refused(regional.get({ project, region: 'elsewhere', instanceTemplate: 'web-r' }), 404);
    assert.deepEqual(
      (await regional.list({ project, region: REGION }))[0].map((x) => x.name),
      ['web-r'],
    );
    assert.deepEqual(
      (await templates.list({ project }))[0].map((x) => x.name),
      ['web'],
    );
    const scopes: Record<string, string[]> = {};
    for await (const [key, scoped] of templates.aggregatedListAsync({ project }))
      scopes[key] = (scoped.instanceTemplates ?? []).map((x) => x.name!);
    assert.deepEqual(scopes, { global: ['web'], [`regions/${REGION}`]: ['web-r'] });

    await runRegion(regional.delete({ project, region: REGION, instanceTemplate: 'web-r' }));
    await refused(regional.get({ project, region: REGION, instanceTemplate: 'web-r' }), 404);
  });

  it('inserts an instance from a template, the request winning over the template', async () => {
    const instances = new InstancesClient(opts);
    await runZone(
      instances.insert({
        project,
        zone: ZONE,
        sourceInstanceTemplate: 'global/instanceTemplates/web',
        instanceResource: { name: 'from-tpl', machineType: `zones/${ZONE}/machineTypes/medium-instance` },
      }),
    );
    const [vm] = await instances.get({ project, zone: ZONE, instance: 'from-tpl' });
    assert.match(vm.machineType!, /machineTypes\/medium-instance$/);
    assert.deepEqual(
      [vm.labels, vm.tags?.items, vm.metadata?.items?.map((i) => i.key)],
      [{ tier: 'web' }, ['http'], ['startup-script']],
    );
    const [row] = (await cs.call('listVirtualMachines', { name: 'from-tpl' })).body.virtualmachine;
    assert.equal(row.serviceofferingname, 'Medium Instance');
    assert.deepEqual(
      row.tags.map((t: any) => [t.key, t.value]),
      [['tier', 'web']],
    );
    const ud = (await cs.call('getVirtualMachineUserData', { virtualmachineid: row.id })).body.virtualmachineuserdata
      .userdata;
    assert.equal(Buffer.from(ud, 'base64').toString(), '#!/bin/sh\necho from-template');

    // Without a machine type of its own, the instance takes the template's.
    await runZone(
      instances.insert({
        project,
        zone: ZONE,
        sourceInstanceTemplate: `projects/${project}/global/instanceTemplates/web`,
        instanceResource: { name: 'from-tpl-2', labels: { tier: 'db' } },
      }),
    );
    const [vm2] = await instances.get({ project, zone: ZONE, instance: 'from-tpl-2' });
    assert.match(vm2.machineType!, /machineTypes\/small-instance$/);
    assert.deepEqual(vm2.labels, { tier: 'db' });
    await refused(
      instances.insert({
        project,
        zone: ZONE,
        sourceInstanceTemplate: 'global/instanceTemplates/nope',
        instanceResource: { name: 'x-1' },
      }),
      404,
    );
    assert.equal((await cs.call('listVirtualMachines', { name: 'x-1' })).body.virtualmachine, undefined);
  });

  it("keeps each project's templates to itself", async () => {
    const acct = await cs.call('createAccount', {
      accounttype: '0',
      account: 'bob',
      username: 'bob',
      password: 'pw',
      email: 'bob@example.com',
      firstname: 'B',
      lastname: 'B',
    });
    const keys = (await cs.call('registerUserKeys', { id: acct.body.account.user[0].id })).body.userkeys;
    const bob = await optsFor(keys.apikey, keys.secretkey);
    const theirs = new InstanceTemplatesClient(bob);
    assert.deepEqual((await theirs.list({ project: 'bob' }))[0], []);
    await refused(theirs.get({ project: 'bob', instanceTemplate: 'web' }), 404);
    await refused(theirs.get({ project, instanceTemplate: 'web' }), 403);
    await refused(
      new InstancesClient(bob).insert({
        project: 'bob',
        zone: ZONE,
        sourceInstanceTemplate: `projects/${project}/global/instanceTemplates/web`,
        instanceResource: { name: 'stolen' },
      }),
      404,
    );
    await runGlobal(theirs.insert({ project: 'bob', instanceTemplateResource: { name: 'web', properties } }), bob);
    assert.deepEqual(
      (await theirs.list({ project: 'bob' }))[0].map((x) => x.name),
      ['web'],
    );
    // The same name in two projects is two templates; deleting one leaves the other.
    await runGlobal(theirs.delete({ project: 'bob', instanceTemplate: 'web' }), bob);
    assert.equal((await new InstanceTemplatesClient(opts).get({ project, instanceTemplate: 'web' }))[0].name, 'web');
    await runGlobal(new InstanceTemplatesClient(opts).delete({ project, instanceTemplate: 'web' }));
    await refused(new InstanceTemplatesClient(opts).get({ project, instanceTemplate: 'web' }), 404);
  });
});
