import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { google, type compute_v1 } from 'googleapis';
import { OAuth2Client } from 'google-auth-library';
import { startServer, type TestServer } from '../helpers/server.js';
import { startProcess, stopped } from '../helpers/process.js';
import { httpLogin } from '../helpers/session.js';

const project = 'admin';
const REGION = 'local';
const startGateway = (cloudstack: string, dataDir: string) =>
  startProcess(['gce-gateway', '--cloudstack', cloudstack, '--port', '0', '--data-dir', dataDir]);

/** Networks, subnetworks, firewalls, addresses and routes through `polystack gce-gateway`, landing on a separate CloudStack. */
describe('GCE networking through polystack gce-gateway', () => {
  let cloud: TestServer;
  let dir: string;
  let gw: { child: ChildProcess; url: string };
  let gce: compute_v1.Compute;
  before(async () => {
    cloud = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    dir = mkdtempSync(join(tmpdir(), 'gce-net-gateway-'));
    gw = await startGateway(cloud.endpoint, dir);
    const res = await fetch(`${gw.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: cloud.apiKey,
        client_secret: cloud.secretKey,
      }),
    });
    const { access_token: token } = (await res.json()) as { access_token: string };
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: token });
    gce = google.compute({ version: 'v1', auth, rootUrl: `${gw.url}/` });
  });
  after(async () => {
    await stopped(gw.child);
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ok = (op: compute_v1.Schema$Operation) => {
    assert.equal(op.status, 'DONE');
    assert.equal(op.error, undefined, JSON.stringify(op.error));
  };

  it('creates a VPC, a tier, an ACL list and a public IP on the remote CloudStack; routes and ids survive a gateway restart', async () => {
    ok(
      (
        await gce.globalOperations.wait({
          project,
          operation: (
            await gce.networks.insert({ project, requestBody: { name: 'gw-net', autoCreateSubnetworks: false } })
          ).data.name!,
        })
      ).data,
    );
    const sub = (
      await gce.subnetworks.insert({
        project,
        region: REGION,
        requestBody: { name: 'gw-sub', network: 'global/networks/gw-net', ipCidrRange: '10.20.0.0/24' },
      })
    ).data;
    ok((await gce.regionOperations.wait({ project, region: REGION, operation: sub.name! })).data);
    const fw = (
      await gce.firewalls.insert({
        project,
        requestBody: {
          name: 'gw-fw',
          network: 'global/networks/gw-net',
          allowed: [{ IPProtocol: 'icmp' }],
          sourceRanges: ['10.0.0.0/8'],
        },
      })
    ).data;
    ok((await gce.globalOperations.wait({ project, operation: fw.name! })).data);
    const ip = (await gce.addresses.insert({ project, region: REGION, requestBody: { name: 'gw-ip' } })).data;
    ok((await gce.regionOperations.wait({ project, region: REGION, operation: ip.name! })).data);
    const route = (
      await gce.routes.insert({
        project,
        requestBody: {
          name: 'gw-route',
          network: 'global/networks/gw-net',
          destRange: '172.16.0.0/16',
          nextHopIp: '10.20.0.5',
        },
      })
    ).data;
    ok((await gce.globalOperations.wait({ project, operation: route.name! })).data);

    const cs = await httpLogin(cloud.endpoint);
    const vpc = (await cs.call('listVPCs', { name: 'gw-net' })).body.vpc[0];
    assert.equal(vpc.cidr, '10.0.0.0/8');
    const tier = (await cs.call('listNetworks', { vpcid: vpc.id })).body.network[0];
    assert.deepEqual([tier.name, tier.cidr], ['gw-sub', '10.20.0.0/24']);
    const acl = (await cs.call('listNetworkACLLists', { vpcid: vpc.id })).body.networkacllist.find(
      (l: any) => l.name === 'gw-fw',
    );
    assert.deepEqual(
      (await cs.call('listNetworkACLs', { aclid: acl.id })).body.networkacl.map((i: any) => [
        i.protocol,
        i.cidrlist,
        i.action,
      ]),
      [['icmp', '10.0.0.0/8', 'Allow']],
    );
    const address = (await gce.addresses.get({ project, region: REGION, address: 'gw-ip' })).data;
    assert.equal(
      (await cs.call('listPublicIpAddresses', { ipaddress: address.address! })).body.publicipaddress[0].state,
      'Allocated',
    );

    const before = (await gce.subnetworks.get({ project, region: REGION, subnetwork: 'gw-sub' })).data.id;
    await stopped(gw.child);
    gw = await startGateway(cloud.endpoint, dir);
    const res = await fetch(`${gw.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: cloud.apiKey,
        client_secret: cloud.secretKey,
      }),
    });
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: ((await res.json()) as { access_token: string }).access_token });
    gce = google.compute({ version: 'v1', auth, rootUrl: `${gw.url}/` });
    assert.equal((await gce.subnetworks.get({ project, region: REGION, subnetwork: 'gw-sub' })).data.id, before);
    assert.equal((await gce.routes.get({ project, route: 'gw-route' })).data.nextHopIp, '10.20.0.5');
    assert.equal(
      (await gce.firewalls.get({ project, firewall: 'gw-fw' })).data.network!.endsWith('/networks/gw-net'),
      true,
    );
    assert.equal(
      (await gce.addresses.get({ project, region: REGION, address: 'gw-ip' })).data.address,
      address.address,
    );
  });
});
