import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { compute_v1 } from 'googleapis';
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { googleCompute } from './googleapis-client.js';

const project = 'admin';
const REGION = 'local';
const ZONE = 'sandbox-simulator-advanced';

/** Custom networks (CloudStack VPCs), subnetworks (VPC tiers), firewalls on them, and instances placed on a subnetwork, through googleapis. */
describe('GCE networks and subnetworks through googleapis', () => {
  let s: TestServer;
  let gce: compute_v1.Compute;
  let cs: Awaited<ReturnType<typeof httpLogin>>;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    gce = await googleCompute(s);
    cs = await httpLogin(s.endpoint);
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
  const zwait = async (op: compute_v1.Schema$Operation) =>
    done((await gce.zoneOperations.wait({ project, zone: ZONE, operation: op.name! })).data);
  const fails = (p: Promise<unknown>, code: number, reason: string) =>
    assert.rejects(p, (e: any) => {
      assert.equal(e.code, code, e.message);
      assert.equal(e.response.data.error.errors[0].reason, reason, e.message);
      return true;
    });

  it('networks: a custom network is a CloudStack VPC; list, get, patch, errors', async () => {
    const op = (
      await gce.networks.insert({
        project,
        requestBody: { name: 'prod', autoCreateSubnetworks: false, description: 'production' },
      })
    ).data;
    assert.equal(op.kind, 'compute#operation');
    assert.equal(op.operationType, 'insert');
    assert.match(op.targetLink!, /\/global\/networks\/prod$/);
    await gwait(op);
    const net = (await gce.networks.get({ project, network: 'prod' })).data;
    assert.equal(net.kind, 'compute#network');
    assert.equal(net.id, op.targetId);
    assert.equal(net.autoCreateSubnetworks, false);
    assert.equal(net.description, 'production');
    assert.equal(net.routingConfig!.routingMode, 'REGIONAL');
    assert.match(net.creationTimestamp!, /^\d{4}-\d\d-\d\dT/);
    assert.match(net.selfLink!, /^https:\/\/.*\/projects\/admin\/global\/networks\/prod$/);
    assert.equal((await gce.networks.get({ project, network: net.id! })).data.name, 'prod');
    const vpc = (await cs.call('listVPCs', { name: 'prod' })).body.vpc[0];
    assert.equal(vpc.cidr, '10.0.0.0/8');
    assert.equal(vpc.displaytext, 'production');
    assert.equal(vpc.zonename, 'Sandbox-simulator-advanced');
    const ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    assert.ok(
      (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.some((v) => v.CidrBlock === '10.0.0.0/8' && !v.IsDefault),
    );

    const names = (await gce.networks.list({ project })).data.items!.map((n) => n.name);
    assert.deepEqual(names, ['default', 'prod']);
    assert.deepEqual(
      (await gce.networks.list({ project, filter: 'name = prod' })).data.items!.map((n) => n.name),
      ['prod'],
    );

    await gwait(
      (
        await gce.networks.patch({
          project,
          network: 'prod',
          requestBody: { routingConfig: { routingMode: 'GLOBAL' } },
        })
      ).data,
    );
    assert.equal((await gce.networks.get({ project, network: 'prod' })).data.routingConfig!.routingMode, 'GLOBAL');
    assert.ok(
      (await cs.call('listVPCs', { name: 'prod' })).body.vpc[0].tags.some(
        (t: any) => t.key === 'gce.routingMode' && t.value === 'GLOBAL',
      ),
    );

    await fails(
      gce.networks.insert({ project, requestBody: { name: 'prod', autoCreateSubnetworks: false } }),
      409,
      'alreadyExists',
    );
    await fails(
      gce.networks.insert({ project, requestBody: { name: 'default', autoCreateSubnetworks: false } }),
      409,
      'alreadyExists',
    );
    await fails(
      gce.networks.insert({ project, requestBody: { name: 'legacy', IPv4Range: '10.240.0.0/16' } }),
      400,
      'unsupportedOperation',
    );
    await fails(
      gce.networks.insert({ project, requestBody: { name: 'Bad_Name', autoCreateSubnetworks: false } }),
      400,
      'invalid',
    );
    await fails(gce.networks.get({ project, network: 'nope' }), 404, 'notFound');
    await fails(
      gce.networks.patch({ project, network: 'prod', requestBody: { routingConfig: { routingMode: 'SIDEWAYS' } } }),
      400,
      'invalid',
    );
    await fails(
      gce.networks.patch({ project, network: 'prod', requestBody: { autoCreateSubnetworks: true } }),
      400,
      'invalid',
    );
  });

  it('networks: an auto mode network has its own subnetwork, which goes with it', async () => {
    await gwait(
      (await gce.networks.insert({ project, requestBody: { name: 'auto-net', autoCreateSubnetworks: true } })).data,
    );
    const net = (await gce.networks.get({ project, network: 'auto-net' })).data;
    assert.equal(net.autoCreateSubnetworks, true);
    assert.deepEqual(
      net.subnetworks!.map((l) => l.split('/').slice(-4).join('/')),
      ['regions/local/subnetworks/auto-net'],
    );
    const sub = (await gce.subnetworks.get({ project, region: REGION, subnetwork: 'auto-net' })).data;
    assert.equal(sub.ipCidrRange, '10.128.0.0/20');
    await fails(gce.subnetworks.delete({ project, region: REGION, subnetwork: 'auto-net' }), 400, 'invalid');
    await gwait((await gce.networks.delete({ project, network: 'auto-net' })).data);
    await fails(gce.networks.get({ project, network: 'auto-net' }), 404, 'notFound');
    assert.equal((await cs.call('listVPCs', { name: 'auto-net' })).body.vpc, undefined);
    assert.equal(
      (await cs.call('listNetworks', {})).body.network.find((n: any) => n.name === 'auto-net'),
      undefined,
    );
  });

  it('subnetworks: a VPC tier, the same one EC2 lists; patch, private access, expand, list, errors', async () => {
    const op = (
      await gce.subnetworks.insert({
        project,
        region: REGION,
        requestBody: {
          name: 'web',
          network: 'global/networks/prod',
          ipCidrRange: '10.1.0.0/24',
          description: 'web tier',
        },
      })
    ).data;
    assert.equal(op.region!.endsWith('/regions/local'), true);
    await rwait(op);
    let sub = (await gce.subnetworks.get({ project, region: REGION, subnetwork: 'web' })).data;
    assert.equal(sub.kind, 'compute#subnetwork');
    assert.equal(sub.id, op.targetId);
    assert.deepEqual(
      [sub.ipCidrRange, sub.gatewayAddress, sub.description, sub.privateIpGoogleAccess],
      ['10.1.0.0/24', '10.1.0.1', 'web tier', false],
    );
    assert.match(sub.network!, /\/global\/networks\/prod$/);
    assert.match(sub.region!, /\/regions\/local$/);
    const vpc = (await cs.call('listVPCs', { name: 'prod' })).body.vpc[0];
    const tier = (await cs.call('listNetworks', { vpcid: vpc.id })).body.network.find((n: any) => n.name === 'web');
    assert.deepEqual(
      [tier.cidr, tier.gateway, tier.netmask, tier.displaytext],
      ['10.1.0.0/24', '10.1.0.1', '255.255.255.0', 'web tier'],
    );
    const ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    assert.ok(
      subnets.some((x) => x.CidrBlock === '10.1.0.0/24' && x.AvailabilityZone === 'Sandbox-simulator-advanced'),
      'EC2 shows the same tier as a subnet',
    );
    assert.deepEqual(
      (await gce.networks.get({ project, network: 'prod' })).data.subnetworks!.map((l) => l.split('/').pop()),
      ['web'],
    );

    await fails(
      gce.subnetworks.insert({
        project,
        region: REGION,
        requestBody: { name: 'web2', network: 'global/networks/prod', ipCidrRange: '10.1.0.128/25' },
      }),
      400,
      'invalid',
    );
    await fails(
      gce.subnetworks.insert({
        project,
        region: REGION,
        requestBody: { name: 'web', network: 'global/networks/prod', ipCidrRange: '10.9.0.0/24' },
      }),
      409,
      'alreadyExists',
    );
    await fails(
      gce.subnetworks.insert({ project, region: REGION, requestBody: { name: 'x', network: 'global/networks/prod' } }),
      400,
      'required',
    );
    await fails(
      gce.subnetworks.insert({
        project,
        region: REGION,
        requestBody: { name: 'x', network: 'global/networks/nope', ipCidrRange: '10.9.0.0/24' },
      }),
      404,
      'notFound',
    );
    await fails(
      gce.subnetworks.insert({
        project,
        region: 'elsewhere',
        requestBody: { name: 'x', network: 'global/networks/prod', ipCidrRange: '10.9.0.0/24' },
      }),
      404,
      'notFound',
    );
    await fails(gce.subnetworks.get({ project, region: REGION, subnetwork: 'nope' }), 404, 'notFound');

    await rwait(
      (
        await gce.subnetworks.setPrivateIpGoogleAccess({
          project,
          region: REGION,
          subnetwork: 'web',
          requestBody: { privateIpGoogleAccess: true },
        })
      ).data,
    );
    sub = (await gce.subnetworks.get({ project, region: REGION, subnetwork: 'web' })).data;
    assert.equal(sub.privateIpGoogleAccess, true);
    await fails(
      gce.subnetworks.patch({
        project,
        region: REGION,
        subnetwork: 'web',
        requestBody: { description: 'x', fingerprint: 'stale' },
      }),
      412,
      'conditionNotMet',
    );
    await rwait(
      (
        await gce.subnetworks.patch({
          project,
          region: REGION,
          subnetwork: 'web',
          requestBody: { description: 'front end', fingerprint: sub.fingerprint },
        })
      ).data,
    );
    sub = (await gce.subnetworks.get({ project, region: REGION, subnetwork: 'web' })).data;
    assert.equal(sub.description, 'front end');

    await fails(
      gce.subnetworks.expandIpCidrRange({
        project,
        region: REGION,
        subnetwork: 'web',
        requestBody: { ipCidrRange: '10.2.0.0/23' },
      }),
      400,
      'invalid',
    );
    await rwait(
      (
        await gce.subnetworks.expandIpCidrRange({
          project,
          region: REGION,
          subnetwork: 'web',
          requestBody: { ipCidrRange: '10.1.0.0/23' },
        })
      ).data,
    );
    const wider = (await gce.subnetworks.get({ project, region: REGION, subnetwork: 'web' })).data;
    assert.deepEqual(
      [wider.ipCidrRange, wider.id, wider.description, wider.privateIpGoogleAccess],
      ['10.1.0.0/23', sub.id, 'front end', true],
    );
    assert.equal(
      (await cs.call('listNetworks', { vpcid: vpc.id })).body.network.find((n: any) => n.name === 'web').cidr,
      '10.1.0.0/23',
    );

    const all = (await gce.subnetworks.list({ project, region: REGION })).data.items!.map((x) => x.name);
    assert.deepEqual(all, ['default', 'web']);
    const agg = (await gce.subnetworks.aggregatedList({ project })).data;
    assert.equal(agg.kind, 'compute#subnetworkAggregatedList');
    assert.deepEqual(
      agg.items!['regions/local']!.subnetworks!.map((x) => x.name),
      ['default', 'web'],
    );
    const usable = (await gce.subnetworks.listUsable({ project })).data;
    assert.ok(
      usable.items!.some(
        (u) =>
          u.subnetwork!.endsWith('/subnetworks/web') &&
          u.ipCidrRange === '10.1.0.0/23' &&
          u.network!.endsWith('/networks/prod'),
      ),
    );
    const dflt = (await gce.subnetworks.get({ project, region: REGION, subnetwork: 'default' })).data;
    assert.match(dflt.network!, /\/networks\/default$/);
    await fails(
      gce.subnetworks.delete({ project, region: REGION, subnetwork: 'default' }),
      400,
      'unsupportedOperation',
    );
  });

  it('firewalls on a custom network are its VPC ACL lists; patch and update', async () => {
    const op = (
      await gce.firewalls.insert({
        project,
        requestBody: {
          name: 'prod-web',
          network: 'global/networks/prod',
          allowed: [{ IPProtocol: 'tcp', ports: ['80', '443'] }],
          sourceRanges: ['0.0.0.0/0'],
          targetTags: ['web'],
          priority: 900,
        },
      })
    ).data;
    await gwait(op);
    let fw = (await gce.firewalls.get({ project, firewall: 'prod-web' })).data;
    assert.match(fw.network!, /\/global\/networks\/prod$/);
    assert.deepEqual(
      [fw.allowed, fw.sourceRanges, fw.targetTags, fw.priority, fw.direction],
      [[{ IPProtocol: 'tcp', ports: ['80', '443'] }], ['0.0.0.0/0'], ['web'], 900, 'INGRESS'],
    );
    const vpc = (await cs.call('listVPCs', { name: 'prod' })).body.vpc[0];
    const acl = (await cs.call('listNetworkACLLists', { vpcid: vpc.id })).body.networkacllist.find(
      (l: any) => l.name === 'prod-web',
    );
    const items = (await cs.call('listNetworkACLs', { aclid: acl.id })).body.networkacl;
    assert.deepEqual(items.map((i: any) => [i.protocol, i.startport, i.traffictype, i.action]).sort(), [
      ['tcp', '443', 'Ingress', 'Allow'],
      ['tcp', '80', 'Ingress', 'Allow'],
    ]);
    assert.ok((await gce.firewalls.list({ project })).data.items!.some((f) => f.name === 'prod-web'));

    await gwait(
      (await gce.firewalls.patch({ project, firewall: 'prod-web', requestBody: { sourceRanges: ['10.0.0.0/8'] } }))
        .data,
    );
    fw = (await gce.firewalls.get({ project, firewall: 'prod-web' })).data;
    assert.deepEqual(
      [fw.allowed, fw.sourceRanges, fw.targetTags],
      [[{ IPProtocol: 'tcp', ports: ['80', '443'] }], ['10.0.0.0/8'], ['web']],
    );
    await gwait(
      (
        await gce.firewalls.update({
          project,
          firewall: 'prod-web',
          requestBody: {
            name: 'prod-web',
            network: 'global/networks/prod',
            denied: [{ IPProtocol: 'udp' }],
            sourceRanges: ['192.168.0.0/16'],
          },
        })
      ).data,
    );
    fw = (await gce.firewalls.get({ project, firewall: 'prod-web' })).data;
    assert.deepEqual(
      [fw.denied, fw.allowed, fw.sourceRanges, fw.targetTags, fw.priority],
      [[{ IPProtocol: 'udp' }], undefined, ['192.168.0.0/16'], [], 1000],
    );
    const after = (await cs.call('listNetworkACLs', { aclid: acl.id })).body.networkacl;
    assert.deepEqual(
      after.map((i: any) => [i.protocol, i.action, i.cidrlist]),
      [['udp', 'Deny', '192.168.0.0/16']],
    );
    await fails(
      gce.firewalls.patch({ project, firewall: 'prod-web', requestBody: { network: 'global/networks/default' } }),
      400,
      'invalid',
    );
    await fails(gce.firewalls.patch({ project, firewall: 'nope', requestBody: {} }), 404, 'notFound');
    await fails(gce.networks.delete({ project, network: 'prod' }), 400, 'resourceInUseByAnotherResource');
    await gwait((await gce.firewalls.delete({ project, firewall: 'prod-web' })).data);
    assert.equal(
      (await cs.call('listNetworkACLLists', { vpcid: vpc.id })).body.networkacllist?.find(
        (l: any) => l.name === 'prod-web',
      ),
      undefined,
    );
  });

  it('firewalls.patch of a default-network firewall replaces its security group rules', async () => {
    await gwait(
      (
        await gce.firewalls.insert({
          project,
          requestBody: { name: 'ssh', allowed: [{ IPProtocol: 'tcp', ports: ['22'] }], sourceRanges: ['10.0.0.0/8'] },
        })
      ).data,
    );
    await gwait(
      (
        await gce.firewalls.patch({
          project,
          firewall: 'ssh',
          requestBody: { sourceRanges: ['192.0.2.0/24'], targetTags: ['bastion'] },
        })
      ).data,
    );
    const fw = (await gce.firewalls.get({ project, firewall: 'ssh' })).data;
    assert.deepEqual(
      [fw.allowed, fw.sourceRanges, fw.targetTags],
      [[{ IPProtocol: 'tcp', ports: ['22'] }], ['192.0.2.0/24'], ['bastion']],
    );
    const g = (await cs.call('listSecurityGroups', { securitygroupname: 'ssh' })).body.securitygroup[0];
    assert.deepEqual(
      g.ingressrule.map((r: any) => [r.protocol, r.startport, r.cidr]),
      [['tcp', 22, '192.0.2.0/24']],
    );
    await gwait(
      (
        await gce.firewalls.update({
          project,
          firewall: 'ssh',
          requestBody: { name: 'ssh', allowed: [{ IPProtocol: 'tcp', ports: ['2222'] }] },
        })
      ).data,
    );
    const upd = (await gce.firewalls.get({ project, firewall: 'ssh' })).data;
    assert.deepEqual(
      [upd.allowed, upd.sourceRanges, upd.targetTags],
      [[{ IPProtocol: 'tcp', ports: ['2222'] }], ['0.0.0.0/0'], []],
    );
    await fails(
      gce.firewalls.patch({ project, firewall: 'ssh', requestBody: { denied: [{ IPProtocol: 'tcp' }] } }),
      400,
      'unsupportedOperation',
    );
    await fails(gce.firewalls.patch({ project, firewall: 'ssh', requestBody: { name: 'other' } }), 400, 'invalid');
  });

  it('instances.insert on a custom subnetwork deploys on its tier; the tier and network are then in use', async () => {
    const image = 'projects/centos-cloud/global/images/family/centos-5';
    const op = (
      await gce.instances.insert({
        project,
        zone: ZONE,
        requestBody: {
          name: 'web-vm',
          machineType: `zones/${ZONE}/machineTypes/small-instance`,
          disks: [{ boot: true, initializeParams: { sourceImage: image } }],
          networkInterfaces: [
            {
              network: 'global/networks/prod',
              subnetwork: `regions/${REGION}/subnetworks/web`,
              networkIP: '10.1.0.50',
            },
          ],
        },
      })
    ).data;
    await zwait(op);
    const vm = (await gce.instances.get({ project, zone: ZONE, instance: 'web-vm' })).data;
    const nic = vm.networkInterfaces![0]!;
    assert.match(nic.network!, /\/global\/networks\/prod$/);
    assert.match(nic.subnetwork!, /\/regions\/local\/subnetworks\/web$/);
    assert.equal(nic.networkIP, '10.1.0.50');
    const csVm = (await cs.call('listVirtualMachines', { name: 'web-vm' })).body.virtualmachine[0];
    const vpc = (await cs.call('listVPCs', { name: 'prod' })).body.vpc[0];
    const tier = (await cs.call('listNetworks', { vpcid: vpc.id })).body.network.find((n: any) => n.name === 'web');
    assert.equal(csVm.nic[0].networkid, tier.id);
    assert.ok(
      (await gce.instances.list({ project, zone: ZONE })).data
        .items!.find((i) => i.name === 'web-vm')!
        .networkInterfaces![0]!.subnetwork!.endsWith('/web'),
    );

    await fails(
      gce.instances.insert({
        project,
        zone: ZONE,
        requestBody: {
          name: 'x',
          machineType: `zones/${ZONE}/machineTypes/small-instance`,
          disks: [{ boot: true, initializeParams: { sourceImage: image } }],
          networkInterfaces: [{ network: 'global/networks/prod' }],
        },
      }),
      400,
      'invalid',
    );
    await fails(
      gce.instances.insert({
        project,
        zone: 'sandbox-simulator-basic',
        requestBody: {
          name: 'x',
          machineType: 'zones/sandbox-simulator-basic/machineTypes/small-instance',
          disks: [{ boot: true, initializeParams: { sourceImage: image } }],
          networkInterfaces: [{ subnetwork: `regions/${REGION}/subnetworks/web` }],
        },
      }),
      400,
      'invalid',
    );
    await fails(
      gce.subnetworks.delete({ project, region: REGION, subnetwork: 'web' }),
      400,
      'resourceInUseByAnotherResource',
    );
    await fails(
      gce.subnetworks.expandIpCidrRange({
        project,
        region: REGION,
        subnetwork: 'web',
        requestBody: { ipCidrRange: '10.1.0.0/22' },
      }),
      400,
      'unsupportedOperation',
    );
    await fails(gce.networks.delete({ project, network: 'prod' }), 400, 'resourceInUseByAnotherResource');
    await zwait((await gce.instances.delete({ project, zone: ZONE, instance: 'web-vm' })).data);
  });
});
