import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DescribeInstancesCommand, EC2Client, GetConsoleOutputCommand } from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../examples/kubernetes/cluster.py', import.meta.url));

describe('examples/kubernetes', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
  });
  after(() => s.stop());

  it('builds 3 etcd and 5 Kubernetes nodes, each with its own cloud-config, and their consoles show it ran', async () => {
    let out: string;
    try {
      out = (
        await run('/usr/bin/python3', [SCRIPT], {
          env: {
            PATH: '/usr/bin:/bin',
            HOME: '/tmp',
            CLOUDSTACK_ENDPOINT: s.endpoint,
            CLOUDSTACK_KEY: s.apiKey,
            CLOUDSTACK_SECRET: s.secretKey,
          },
          timeout: 180_000,
        })
      ).stdout;
    } catch (e: any) {
      assert.fail(`cluster.py failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
    assert.match(out, /cluster k8s: 3 etcd \+ 5 nodes running/);
    assert.equal((out.match(/ own$/gm) ?? []).length, 8);
    const ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    const instances = (await ec2.send(new DescribeInstancesCommand({}))).Reservations!.flatMap((r) => r.Instances!);
    assert.equal(instances.length, 8);
    for (const i of instances) {
      const log = Buffer.from(
        (await ec2.send(new GetConsoleOutputCommand({ InstanceId: i.InstanceId }))).Output!,
        'base64',
      ).toString();
      const role = /set hostname k8s-(etcd|node)-\d/.exec(log)?.[1];
      assert.ok(role, `no cloud-config report in the console of ${i.InstanceId}:\n${log}`);
      assert.ok(log.includes(role === 'etcd' ? 'packages: installed etcd' : 'packages: installed kubelet'), log);
      assert.ok(log.includes('users: created user core'), log);
    }
    ec2.destroy();
  });
});
