import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { verifySignature, type Pair } from '../../src/cloudstack/signature.js';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { tenant } from '../helpers/networking.js';

/** A nested CloudStack cloud whose VM is the "host": it checks each request's signature and keeps the VM's state. */
function nestedCloud(secret: string) {
  const seen: Record<string, string>[] = [];
  let state = 'Running';
  let status = 200;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const pairs = [...url.searchParams.entries()] as Pair[];
    const q = Object.fromEntries(pairs);
    seen.push(q);
    const signed = verifySignature(
      pairs.filter(([k]) => k !== 'signature'),
      secret,
      q['signature'] ?? '',
    );
    if (status !== 200 || !signed) {
      res.writeHead(signed ? status : 401).end('{}');
      return;
    }
    if (q['command'] === 'startVirtualMachine' || q['command'] === 'rebootVirtualMachine') state = 'Running';
    if (q['command'] === 'stopVirtualMachine') state = 'Stopped';
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ listvirtualmachinesresponse: { count: 1, virtualmachine: [{ id: q['id'], state }] } }));
  });
  return {
    seen,
    server,
    fail: (code: number) => (status = code),
    async url() {
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      return `http://127.0.0.1:${(server.address() as { port: number }).port}/client/api`;
    },
  };
}

describe('out-of-band management (configure, enable per host/cluster/zone, power actions)', () => {
  let w: World;
  let admin: Api;
  let hostId: string;
  let clusterId: string;
  let zoneId: string;
  const cloud = nestedCloud('nested-secret');
  let address: string;
  const hostOobm = async () => (await admin('listHosts', { id: hostId })).body.host[0].outofbandmanagement;
  const power = (action: string) => runJob(w, admin, 'issueOutOfBandManagementPowerAction', { hostid: hostId, action });

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    const h = (await admin('listHosts', { type: 'Routing', zoneid: w.zones.advanced })).body.host[0];
    [hostId, clusterId, zoneId] = [h.id, h.clusterid, h.zoneid];
    address = await cloud.url();
  });
  after(async () => {
    cloud.server.close();
    await w.close();
  });

  it('a host with nothing configured shows it disabled, and cannot be enabled', async () => {
    assert.deepEqual(await hostOobm(), { enabled: false, powerstate: 'Disabled' });
    const r = await runJob(w, admin, 'enableOutOfBandManagementForHost', { hostid: hostId });
    assert.equal(r.jobstatus, 2);
    assert.equal(
      r.jobresult.errortext,
      'Out-of-band management is not configured for the host. Please configure the host before enabling/disabling it.',
    );
  });

  it('refuses a driver it does not have and keeps nothing', async () => {
    const r = await admin('configureOutOfBandManagement', {
      hostid: hostId,
      driver: 'nosuch',
      address,
      port: 'vm-uuid',
      username: 'k',
      password: 'p',
    });
    assert.equal(r.status, 530);
    assert.equal(
      r.body.errortext,
      'Out-of-band management driver is not available. Please provide a valid driver name.',
    );
    assert.deepEqual(await hostOobm(), { enabled: false, powerstate: 'Disabled' });
  });

  it('configures the nested-cloudstack driver: the answer and the host show it, the password masked', async () => {
    const r = await admin('configureOutOfBandManagement', {
      hostid: hostId,
      driver: 'nestedcloudstack',
      address,
      port: 'vm-uuid',
      username: 'nested-key',
      password: 'nested-secret',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.outofbandmanagement, {
      hostid: hostId,
      enabled: false,
      powerstate: 'Disabled',
      driver: 'nestedcloudstack',
      address,
      port: 'vm-uuid',
      username: 'nested-key',
      password: 'n****',
      description: 'Out-of-band management successfully configured for the host',
      status: true,
    });
    assert.equal((await hostOobm()).driver, 'nestedcloudstack');
  });

  it('refuses power actions until the host is enabled, then reads and changes the nested VM', async () => {
    const before = await power('STATUS');
    assert.equal(
      before.jobresult.errortext,
      'Out-of-band management is disabled or not configured for the host. Aborting Operation.',
    );
    const en = await runJob(w, admin, 'enableOutOfBandManagementForHost', { hostid: hostId });
    assert.deepEqual(en.jobresult.outofbandmanagement, { enabled: true, status: true, hostid: hostId });

    const st = await power('STATUS');
    assert.equal(st.jobstatus, 1, JSON.stringify(st.jobresult));
    assert.equal(st.jobresult.outofbandmanagement.powerstate, 'On');
    assert.equal(st.jobresult.outofbandmanagement.action, 'STATUS');
    assert.equal(st.jobresult.outofbandmanagement.hostid, hostId);

    await power('OFF');
    assert.equal((await power('STATUS')).jobresult.outofbandmanagement.powerstate, 'Off');
    const sent = cloud.seen.find((q) => q['command'] === 'stopVirtualMachine')!;
    assert.deepEqual(
      [sent['id'], sent['forced'], sent['apiKey'], sent['response']],
      ['vm-uuid', 'true', 'nested-key', 'json'],
    );
    await power('CYCLE');
    assert.equal(cloud.seen.at(-1)!['command'], 'rebootVirtualMachine');
    assert.equal((await hostOobm()).powerstate, 'Off', 'only STATUS moves the recorded state');
    assert.equal((await power('STATUS')).jobresult.outofbandmanagement.powerstate, 'On');
  });

  it('answers an action name it does not know as PowerOperation.valueOf does', async () => {
    const r = await power('status');
    assert.equal(r.jobstatus, 2);
    assert.equal(r.jobresult.errorcode, 530);
    assert.equal(
      r.jobresult.errortext,
      'No enum constant org.apache.cloudstack.outofbandmanagement.OutOfBandManagement.PowerOperation.status',
    );
  });

  it('a refused signature is an authentication error, and the power state becomes Unknown', async () => {
    await admin('configureOutOfBandManagement', {
      hostid: hostId,
      driver: 'nestedcloudstack',
      address,
      port: 'vm-uuid',
      username: 'nested-key',
      password: 'wrong',
    });
    const r = await power('STATUS');
    assert.equal(r.jobstatus, 2);
    assert.match(
      r.jobresult.errortext,
      /^Out-of-band Management action \(STATUS\) on host \(.+\) failed due to authentication error: HTTP error code: 401\. Please check configured credentials\.$/,
    );
    assert.equal((await hostOobm()).powerstate, 'Unknown');
    await admin('configureOutOfBandManagement', {
      hostid: hostId,
      driver: 'nestedcloudstack',
      address,
      port: 'vm-uuid',
      username: 'nested-key',
      password: 'nested-secret',
    });
  });

  it('the nested driver cannot change passwords; the old one stays', async () => {
    const r = await runJob(w, admin, 'changeOutOfBandManagementPassword', { hostid: hostId, password: 'new-secret' });
    assert.equal(r.jobstatus, 2);
    assert.match(
      r.jobresult.errortext,
      /due to driver error: Change password operation is not supported by the nested-cloudstack out-of-band management driver$/,
    );
    assert.equal((await hostOobm()).password, 'n****');
    assert.equal((await power('STATUS')).jobstatus, 1, 'still signs with the old secret');
  });

  it('switching the cluster or zone off stops actions and marks its hosts Disabled; on again lets them run', async () => {
    for (const [kind, param, id, why] of [
      ['Cluster', 'clusterid', clusterId, 'cluster'],
      ['Zone', 'zoneid', zoneId, 'zone'],
    ] as const) {
      const off = await runJob(w, admin, `disableOutOfBandManagementFor${kind}`, { [param]: id });
      assert.deepEqual(off.jobresult.outofbandmanagement, { enabled: false, status: true });
      assert.equal((await hostOobm()).powerstate, 'Disabled');
      assert.equal(
        (await power('STATUS')).jobresult.errortext,
        `Out-of-band management is disabled for the host's ${why}. Aborting Operation.`,
      );
      await runJob(w, admin, `enableOutOfBandManagementFor${kind}`, { [param]: id });
      assert.equal((await power('STATUS')).jobresult.outofbandmanagement.powerstate, 'On');
    }
  });

  it('refuses unknown ids before any job, and is for root admins only', async () => {
    const r = await admin('enableOutOfBandManagementForCluster', { clusterid: '00000000-0000-0000-0000-000000000000' });
    assert.equal(r.status, 431);
    const user = await tenant(w, admin, 'oobm-user');
    assert.notEqual(
      (
        await user('configureOutOfBandManagement', {
          hostid: hostId,
          driver: 'ipmitool',
          address: 'a',
          port: '1',
          username: 'u',
          password: 'p',
        })
      ).status,
      200,
    );
  });
});
