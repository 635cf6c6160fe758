import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { startProcess, stopped } from '../helpers/process.js';
import { CsClient } from '../helpers/cs-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** `polystack conformance` against polystack itself, against gateways in front of it, and against an endpoint that differs. */
describe('polystack conformance', () => {
  let cloud: TestServer;
  before(async () => {
    cloud = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
  });
  after(async () => {
    await cloud.stop();
  });
  const conformance = (target: string, front: string, extra: string[] = []) =>
    runCli([
      'conformance',
      '--target',
      target,
      '--front',
      front,
      '--key',
      cloud.apiKey,
      '--secret',
      cloud.secretKey,
      '--timeout',
      '60',
      ...extra,
    ]);

  it(
    'every scenario of every front passes against polystack, and nothing is left behind',
    { timeout: 180_000 },
    async () => {
      const r = await conformance(cloud.url, 'all', ['--json']);
      const report = JSON.parse(r.stdout);
      const bad = report.results.filter((x: any) => x.status !== 'passed');
      assert.deepEqual(bad, [], r.stdout);
      assert.equal(r.code, 0);
      assert.deepEqual(report.fronts, ['cloudstack', 'ec2', 'gce']);
      assert.ok(report.totals.passed >= 20, `only ${report.totals.passed} scenarios ran`);
      const cs = new CsClient(cloud.endpoint, cloud.apiKey, cloud.secretKey);
      assert.equal((await cs.call('listVirtualMachines', { listall: 'true' })).body.count ?? 0, 0, 'VMs left behind');
      const groups = (await cs.call('listSecurityGroups', { listall: 'true' })).body.securitygroup.map(
        (g: any) => g.name,
      );
      assert.deepEqual([...new Set(groups)], ['default'], 'security groups left behind');
      assert.equal((await cs.call('listSSHKeyPairs', { listall: 'true' })).body.count ?? 0, 0, 'key pairs left behind');
    },
  );

  it(
    'the EC2 and GCE suites pass through ec2-gateway and gce-gateway in front of that polystack',
    { timeout: 180_000 },
    async () => {
      const ec2 = await startProcess([
        'ec2-gateway',
        '--cloudstack',
        cloud.endpoint,
        '--admin-key',
        cloud.apiKey,
        '--admin-secret',
        cloud.secretKey,
        '--port',
        '0',
        '--in-memory',
      ]);
      const gce = await startProcess(['gce-gateway', '--cloudstack', cloud.endpoint, '--port', '0', '--in-memory']);
      try {
        for (const [url, front] of [
          [ec2.url, 'ec2'],
          [gce.url, 'gce'],
        ] as const) {
          const r = await conformance(url, front);
          assert.equal(r.code, 0, r.stdout + r.stderr);
          assert.match(r.stdout, new RegExp(`^conformance of ${url} \\(${front}\\)`));
          assert.match(r.stdout, /^\d+ passed, 0 failed, 0 differed, 0 skipped$/m);
          assert.doesNotMatch(r.stdout, /^\S+\s+\S+\s+(failed|differed)/m);
        }
        // The CloudStack suite has nothing to talk to on a gateway: every scenario fails, named at its first step.
        const cs = await conformance(ec2.url, 'cloudstack');
        assert.equal(cs.code, 1);
        assert.match(cs.stdout, /at prepare: listZones HTTP status: expected 200, got 4\d\d/);
      } finally {
        await Promise.all([stopped(ec2.child), stopped(gce.child)]);
      }
    },
  );

  describe('against an endpoint that answers differently', () => {
    let fake: Server;
    let url: string;
    before(async () => {
      // Answers listZones with a count that disagrees, no offerings or templates, everything else 530.
      fake = createServer((req, res) => {
        let body = '';
        req
          .on('data', (d) => (body += d))
          .on('end', () => {
            const command = new URLSearchParams(body).get('command');
            res.setHeader('content-type', 'application/json');
            if (command === 'listZones')
              return res.end(
                JSON.stringify({
                  listzonesresponse: {
                    count: 3,
                    zone: [{ id: 'z1', name: 'one', networktype: 'Basic', allocationstate: 'Enabled' }],
                  },
                }),
              );
            if (command === 'listServiceOfferings' || command === 'listTemplates')
              return res.end(JSON.stringify({ [`${command.toLowerCase()}response`]: {} }));
            res.statusCode = 530;
            res.end(JSON.stringify({ errorresponse: { errorcode: 530, errortext: 'no' } }));
          });
      });
      await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;
    });
    after(() => fake.close());

    it('reports differed and failed scenarios with their first difference, and exits 1', async () => {
      const r = await conformance(url, 'cloudstack', ['--json']);
      assert.equal(r.code, 1);
      const by = Object.fromEntries(JSON.parse(r.stdout).results.map((x: any) => [x.id, x]));
      assert.equal(by['zones.list'].status, 'differed');
      assert.deepEqual(by['zones.list'].difference, { where: 'listzonesresponse.count', expected: '1', actual: '3' });
      assert.equal(by['signature.refused'].status, 'differed');
      assert.deepEqual(by['signature.refused'].difference, {
        where: 'listZones HTTP status',
        expected: '401',
        actual: '200',
      });
      assert.equal(by['securitygroup.lifecycle'].status, 'failed');
      assert.deepEqual(by['securitygroup.lifecycle'].difference, {
        where: 'createSecurityGroup HTTP status',
        expected: '200',
        actual: '530 no',
      });
      assert.equal(by['vm.lifecycle'].status, 'skipped');
      const table = await conformance(url, 'cloudstack', ['--only', 'zones']);
      assert.match(table.stdout, /^cloudstack zones\.list\s+differed/m);
      assert.match(table.stdout, /^ {4}at start: listzonesresponse\.count: expected 1, got 3$/m);
      assert.match(table.stdout, /^0 passed, 0 failed, 1 differed, 0 skipped$/m);
    });
  });
});
