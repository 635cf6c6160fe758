import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { compute_v1 } from 'googleapis';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { googleCompute } from './googleapis-client.js';

const project = 'admin';
const REGION = 'local';

/** Addresses (CloudStack public IPs, internal reservations) and routes (computed and inserted), through googleapis. */
describe('GCE addresses and routes through googleapis', () => {
  let s: TestServer;
  let gce: compute_v1.Compute;
  let cs: Awaited<ReturnType<typeof httpLogin>>;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    gce = await googleCompute(s);
    cs = await httpLogin(s.endpoint);
    const op = (await gce.networks.insert({ project, requestBody: { name: 'net-a', autoCreateSubnetworks: false } }))
      .data;
    await gce.globalOperations.wait({ project, operation: op.name! });
    const sub = (
      await gce.subnetworks.insert({
        project,
        region: REGION,
        requestBody: { name: 'sub-a', network: 'global/networks/net-a', ipCidrRange: '10.5.0.0/24' },
      })
    ).data;
    await gce.regionOperations.wait({ project, region: REGION, operation: sub.name! });
  });
  after(() => s.stop());

  const done = (op: compute_v1.Schema$Operation) => {
    assert.equal(op.status, 'DONE');
    assert.equal(op.error, undefined, JSON.stringify(op.error));
    return op;
  };
  const gwait = async (op: compute_v1.Schema$Operation) =>
    done((await gce.globalOperations.wait({ project, operation: op.name! })).data);
  const rwait = async (op: compute_v1.Schema$Operation) =>
    done((await gce.regionOperations.wait({ project, region: REGION, operation: op.name! })).data);
  const fails = (p: Promise<unknown>, code: number, reason: string) =>
    assert.rejects(p, (e: any) => {
      assert.equal(e.code, code, e.message);
      assert.equal(e.response.data.error.errors[0].reason, reason, e.message);
      return true;
    });

  it('a static external address is a CloudStack public IP; labels, list, aggregatedList, delete', async () => {
    const op = (
      await gce.addresses.insert({
        project,
        region: REGION,
        requestBody: { name: 'ip-1', description: 'front door', labels: { env: 'dev' } },
      })
    ).data;
    assert.equal(op.operationType, 'insert');
    assert.match(op.targetLink!, /\/regions\/local\/addresses\/ip-1$/);
    await rwait(op);
    let a = (await gce.addresses.get({ project, region: REGION, address: 'ip-1' })).data;
    assert.equal(a.kind, 'compute#address');
    assert.equal(a.id, op.targetId);
    assert.deepEqual(
      [a.status, a.addressType, a.networkTier, a.description, a.labels],
      ['RESERVED', 'EXTERNAL', 'PREMIUM', 'front door', { env: 'dev' }],
    );
    assert.match(a.address!, /^\d+\.\d+\.\d+\.\d+$/);
    assert.match(a.region!, /\/regions\/local$/);
    const ip = (await cs.call('listPublicIpAddresses', { ipaddress: a.address! })).body.publicipaddress[0];
    assert.equal(ip.state, 'Allocated');
    assert.deepEqual(
      ip.tags.map((t: any) => [t.key, t.value]),
      [['env', 'dev']],
    );

    await fails(
      gce.addresses.setLabels({
        project,
        region: REGION,
        resource: 'ip-1',
        requestBody: { labels: { env: 'prod' }, labelFingerprint: 'stale' },
      }),
      412,
      'conditionNotMet',
    );
    await rwait(
      (
        await gce.addresses.setLabels({
          project,
          region: REGION,
          resource: 'ip-1',
          requestBody: { labels: { env: 'prod', team: 'a' }, labelFingerprint: a.labelFingerprint },
        })
      ).data,
    );
    a = (await gce.addresses.get({ project, region: REGION, address: 'ip-1' })).data;
    assert.deepEqual(a.labels, { env: 'prod', team: 'a' });
    assert.deepEqual(
      (await cs.call('listPublicIpAddresses', { ipaddress: a.address! })).body.publicipaddress[0].tags
        .map((t: any) => t.key)
        .sort(),
      ['env', 'team'],
    );

    await fails(gce.addresses.insert({ project, region: REGION, requestBody: { name: 'ip-1' } }), 409, 'alreadyExists');
    await fails(
      gce.addresses.insert({ project, region: REGION, requestBody: { name: 'ip-2', networkTier: 'STANDARD' } }),
      400,
      'unsupportedOperation',
    );
    await fails(
      gce.addresses.insert({ project, region: REGION, requestBody: { name: 'ip-2', addressType: 'SIDEWAYS' } }),
      400,
      'invalid',
    );
    await fails(gce.addresses.get({ project, region: REGION, address: 'nope' }), 404, 'notFound');
    await fails(gce.addresses.list({ project, region: 'elsewhere' }), 404, 'notFound');

    assert.deepEqual(
      (await gce.addresses.list({ project, region: REGION })).data.items!.map((x) => x.name),
      ['ip-1'],
    );
    const agg = (await gce.addresses.aggregatedList({ project })).data;
    assert.equal(agg.kind, 'compute#addressAggregatedList');
    assert.deepEqual(
      agg.items!['regions/local']!.addresses!.map((x) => x.name),
      ['ip-1'],
    );
    assert.equal(agg.items!['global']!.warning!.code, 'NO_RESULTS_ON_PAGE');

    await rwait((await gce.addresses.delete({ project, region: REGION, address: 'ip-1' })).data);
    await fails(gce.addresses.get({ project, region: REGION, address: 'ip-1' }), 404, 'notFound');
    assert.equal((await cs.call('listPublicIpAddresses', { ipaddress: a.address! })).body.publicipaddress, undefined);
  });

  it('an internal address is a reservation in a subnetwork, used by instances.insert', async () => {
    await rwait(
      (
        await gce.addresses.insert({
          project,
          region: REGION,
          requestBody: { name: 'db-ip', addressType: 'INTERNAL', subnetwork: `regions/${REGION}/subnetworks/sub-a` },
        })
      ).data,
    );
    const a = (await gce.addresses.get({ project, region: REGION, address: 'db-ip' })).data;
    assert.deepEqual(
      [a.address, a.status, a.addressType, a.purpose],
      ['10.5.0.2', 'RESERVED', 'INTERNAL', 'GCE_ENDPOINT'],
    );
    assert.match(a.subnetwork!, /\/subnetworks\/sub-a$/);
    assert.match(a.network!, /\/networks\/net-a$/);
    await fails(
      gce.addresses.insert({
        project,
        region: REGION,
        requestBody: {
          name: 'db-ip2',
          addressType: 'INTERNAL',
          subnetwork: `regions/${REGION}/subnetworks/sub-a`,
          address: '10.5.0.2',
        },
      }),
      409,
      'alreadyExists',
    );
    await fails(
      gce.addresses.insert({
        project,
        region: REGION,
        requestBody: {
          name: 'db-ip2',
          addressType: 'INTERNAL',
          subnetwork: `regions/${REGION}/subnetworks/sub-a`,
          address: '10.6.0.9',
        },
      }),
      400,
      'invalid',
    );
    await fails(
      gce.globalAddresses.insert({
        project,
        requestBody: {
          name: 'peering',
          addressType: 'INTERNAL',
          purpose: 'VPC_PEERING',
          prefixLength: 16,
          network: 'global/networks/net-a',
        },
      }),
      400,
      'unsupportedOperation',
    );

    const zone = 'sandbox-simulator-advanced';
    const op = (
      await gce.instances.insert({
        project,
        zone,
        requestBody: {
          name: 'db',
          machineType: `zones/${zone}/machineTypes/small-instance`,
          disks: [
            { boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } },
          ],
          networkInterfaces: [{ subnetwork: `regions/${REGION}/subnetworks/sub-a`, networkIP: a.address }],
        },
      })
    ).data;
    done((await gce.zoneOperations.wait({ project, zone, operation: op.name! })).data);
    const used = (await gce.addresses.get({ project, region: REGION, address: 'db-ip' })).data;
    assert.equal(used.status, 'IN_USE');
    assert.match(used.users![0]!, /\/zones\/sandbox-simulator-advanced\/instances\/db$/);
    assert.equal(
      (await cs.call('listVirtualMachines', { name: 'db' })).body.virtualmachine[0].nic[0].ipaddress,
      '10.5.0.2',
    );
    await fails(
      gce.addresses.delete({ project, region: REGION, address: 'db-ip' }),
      400,
      'resourceInUseByAnotherResource',
    );
    done(
      (
        await gce.zoneOperations.wait({
          project,
          zone,
          operation: (await gce.instances.delete({ project, zone, instance: 'db' })).data.name!,
        })
      ).data,
    );
    await rwait((await gce.addresses.delete({ project, region: REGION, address: 'db-ip' })).data);
    await fails(gce.addresses.get({ project, region: REGION, address: 'db-ip' }), 404, 'notFound');
  });

  it('global addresses are external public IPs too', async () => {
    const op = (await gce.globalAddresses.insert({ project, requestBody: { name: 'lb-ip' } })).data;
    assert.equal(op.region, undefined);
    await gwait(op);
    const a = (await gce.globalAddresses.get({ project, address: 'lb-ip' })).data;
    assert.deepEqual(
      [a.kind, a.status, a.addressType, a.region],
      ['compute#address', 'RESERVED', 'EXTERNAL', undefined],
    );
    assert.match(a.selfLink!, /\/global\/addresses\/lb-ip$/);
    assert.equal(
      (await cs.call('listPublicIpAddresses', { ipaddress: a.address! })).body.publicipaddress[0].state,
      'Allocated',
    );
    assert.deepEqual(
      (await gce.globalAddresses.list({ project })).data.items!.map((x) => x.name),
      ['lb-ip'],
    );
    assert.equal((await gce.addresses.list({ project, region: REGION })).data.items, undefined);
    await fails(gce.globalAddresses.insert({ project, requestBody: { name: 'lb-ip' } }), 409, 'alreadyExists');
    await gwait((await gce.globalAddresses.delete({ project, address: 'lb-ip' })).data);
    await fails(gce.globalAddresses.get({ project, address: 'lb-ip' }), 404, 'notFound');
    assert.equal((await cs.call('listPublicIpAddresses', { ipaddress: a.address! })).body.publicipaddress, undefined);
  });

  it('routes: each network has a route to the internet and one per subnetwork; inserted routes are kept', async () => {
    const routes = (await gce.routes.list({ project })).data.items!;
    const mine = routes.filter((r) => r.network!.endsWith('/networks/net-a'));
    const internet = mine.find((r) => r.destRange === '0.0.0.0/0')!;
    assert.equal(internet.kind, 'compute#route');
    assert.match(internet.name!, /^default-route-[0-9a-f]{16}$/);
    assert.match(internet.nextHopGateway!, /\/global\/gateways\/default-internet-gateway$/);
    assert.equal(internet.priority, 1000);
    const local = mine.find((r) => r.destRange === '10.5.0.0/24')!;
    assert.deepEqual([local.priority, local.routeType], [0, 'SUBNET']);
    assert.match(local.nextHopNetwork!, /\/networks\/net-a$/);
    assert.ok(routes.some((r) => r.network!.endsWith('/networks/default') && r.destRange === '0.0.0.0/0'));
    assert.equal((await gce.routes.get({ project, route: local.name! })).data.id, local.id);

    const op = (
      await gce.routes.insert({
        project,
        requestBody: {
          name: 'to-vpn',
          network: 'global/networks/net-a',
          destRange: '192.168.50.0/24',
          nextHopIp: '10.5.0.9',
          priority: 500,
          tags: ['vpn'],
        },
      })
    ).data;
    assert.equal(op.operationType, 'insert');
    await gwait(op);
    const r = (await gce.routes.get({ project, route: 'to-vpn' })).data;
    assert.deepEqual(
      [r.destRange, r.nextHopIp, r.priority, r.tags, r.id],
      ['192.168.50.0/24', '10.5.0.9', 500, ['vpn'], op.targetId],
    );
    await fails(
      gce.routes.insert({
        project,
        requestBody: {
          name: 'to-vpn',
          network: 'global/networks/net-a',
          destRange: '192.168.50.0/24',
          nextHopIp: '10.5.0.9',
        },
      }),
      409,
      'alreadyExists',
    );
    await fails(
      gce.routes.insert({
        project,
        requestBody: {
          name: 'bad',
          network: 'global/networks/net-a',
          destRange: '192.168.50.0/24',
          nextHopIp: '10.99.0.9',
        },
      }),
      400,
      'invalid',
    );
    await fails(
      gce.routes.insert({
        project,
        requestBody: { name: 'bad', network: 'global/networks/net-a', destRange: '192.168.50.0/24' },
      }),
      400,
      'invalid',
    );
    await fails(
      gce.routes.insert({
        project,
        requestBody: {
          name: 'bad',
          network: 'global/networks/nope',
          destRange: '192.168.50.0/24',
          nextHopIp: '10.5.0.9',
        },
      }),
      404,
      'notFound',
    );
    await fails(gce.routes.delete({ project, route: local.name! }), 400, 'invalid');
    await fails(gce.networks.delete({ project, network: 'net-a' }), 400, 'resourceInUseByAnotherResource');
    await gwait((await gce.routes.delete({ project, route: 'to-vpn' })).data);
    await fails(gce.routes.get({ project, route: 'to-vpn' }), 404, 'notFound');

    await rwait((await gce.subnetworks.delete({ project, region: REGION, subnetwork: 'sub-a' })).data);
    await gwait((await gce.networks.delete({ project, network: 'net-a' })).data);
    assert.equal(
      (await gce.routes.list({ project })).data.items!.some((x) => x.network!.endsWith('/networks/net-a')),
      false,
    );
    assert.equal((await cs.call('listVPCs', {})).body.vpc, undefined);
  });
});
