import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';

const run = promisify(execFile);
const script = (name: string) => fileURLToPath(new URL(`../../examples/${name}/walkthrough.mjs`, import.meta.url));

/** What `polystack env` exports for a front, as the user's shell would hold it after `eval`. */
async function exportsOf(s: TestServer, args: string[]): Promise<Record<string, string>> {
  const out = await runCli(['env', '--url', s.url, ...args]);
  assert.equal(out.code, 0, out.stderr);
  return Object.fromEntries(
    [...out.stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.replace(/^'(.*)'$/, '$1')]),
  );
}

/** Runs a walk-through as a user would: node, the exported environment, nothing else of the tests'. */
async function walk(
  name: string,
  env: Record<string, string>,
  keep = false,
  extra: Record<string, string> = {},
): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [script(name)], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: tmpdir(),
        ...env,
        ...extra,
        ...(keep ? { KEEP: '1' } : {}),
      },
      timeout: 240_000,
    });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    assert.fail(`${name} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

/**
 * Issue 17's walk-throughs (examples/ec2-vpc, examples/gce-network): the tutorial path of each
 * front through its own SDK, checked on the CloudStack side, where both are a VPC with two tiers.
 */
describe('examples: the EC2 VPC and GCE network walk-throughs', () => {
  let s: TestServer;
  let dir: string;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    dir = mkdtempSync(join(tmpdir(), 'polystack-walk-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await s.stop();
  });

  it(
    'EC2: a VPC, two subnets, a gateway, a route table, groups, a launch template and two instances',
    { timeout: 300_000 },
    async () => {
      const env = await exportsOf(s, ['--aws']);
      const out = await walk('ec2-vpc', env, true);
      assert.match(
        out,
        /^vpc vpc-\w+: subnets subnet-\w+ \(public\) and subnet-\w+, gateway igw-\w+, route table rtb-\w+$/m,
      );
      assert.equal(
        (out.match(/^instance i-\w+ running 10\.20\.[12]\.\d+ in subnet-\w+ with walkthrough-(web|app)$/gm) ?? [])
          .length,
        2,
        out,
      );
      // The same objects through CloudStack: one VPC, its two tiers, a VM on each.
      const cs = await httpLogin(s.endpoint);
      const [vpc] = (await cs.call('listVPCs', { cidr: '10.20.0.0/16' })).body.vpc;
      const tiers = (await cs.call('listNetworks', { vpcid: vpc.id })).body.network;
      assert.deepEqual(tiers.map((n: { cidr: string }) => n.cidr).sort(), ['10.20.1.0/24', '10.20.2.0/24']);
      for (const tier of tiers)
        assert.equal((await cs.call('listVirtualMachines', { networkid: tier.id })).body.count, 1);
      // ...and a second run with the clean-up removes what it made, the first run's stack aside.
      assert.match(await walk('ec2-vpc', env, false, { NAME: 'second' }), /^removed$/m);
      assert.equal((await cs.call('listVPCs', {})).body.count, 1);
    },
  );

  it(
    'GCE: a custom network, two subnetworks, firewalls by tag, an instance template and two instances',
    { timeout: 300_000 },
    async () => {
      const env = await exportsOf(s, ['--gce', '--gce-key-file', join(dir, 'key.json')]);
      assert.ok(env['GOOGLE_APPLICATION_CREDENTIALS'], 'a service-account key file');
      const out = await walk('gce-network', env, true);
      assert.match(out, /^instance web-1 RUNNING 10\.30\.1\.\d+ in web$/m);
      assert.match(out, /^instance app-1 RUNNING 10\.30\.2\.\d+ in app$/m);
      const cs = await httpLogin(s.endpoint);
      const vpcs = (await cs.call('listVPCs', { name: 'walkthrough' })).body.vpc ?? [];
      assert.equal(vpcs.length, 1, 'the custom network is a CloudStack VPC');
      const tiers = (await cs.call('listNetworks', { vpcid: vpcs[0].id })).body.network;
      assert.deepEqual(tiers.map((n: { name: string; cidr: string }) => `${n.name} ${n.cidr}`).sort(), [
        'app 10.30.2.0/24',
        'web 10.30.1.0/24',
      ]);
    },
  );
});
