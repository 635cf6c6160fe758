import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeImagesCommand,
  EC2Client,
  GetConsoleOutputCommand,
  RunInstancesCommand,
  waitUntilInstanceRunning,
} from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { quickWaiter } from '../helpers/waiters.js';

describe('a guest that shows it ran: GetConsoleOutput', () => {
  let s: TestServer;
  let ec2: EC2Client;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
  });
  after(async () => {
    ec2.destroy();
    await s.stop();
  });

  const launch = async (userData: string) => {
    const [image] = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    const r = await ec2.send(
      new RunInstancesCommand({
        ImageId: image!.ImageId,
        MinCount: 1,
        MaxCount: 1,
        UserData: Buffer.from(userData).toString('base64'),
      }),
    );
    const id = r.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning(quickWaiter(ec2, 30), { InstanceIds: [id] });
    const out = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
    return Buffer.from(out.Output!, 'base64').toString('utf8');
  };

  it('reports what a #cloud-config asked for', async () => {
    const log = await launch(
      '#cloud-config\nusers:\n  - default\n  - name: alice\npackages: [nginx, etcd]\nwrite_files:\n  - path: /etc/motd\n    content: hello\nruncmd:\n  - [systemctl, start, nginx]\n  - echo done\n',
    );
    for (const line of [
      'users: created user alice',
      'packages: installed nginx',
      'packages: installed etcd',
      'write_files: wrote /etc/motd (5 bytes)',
      'runcmd: ran systemctl start nginx',
      'runcmd: ran echo done',
    ])
      assert.ok(log.includes(line), `missing "${line}" in:\n${log}`);
    assert.match(log, /Cloud-init v\. .* finished/);
  });

  it('runs a shell script line by line, and says when the config cannot be read', async () => {
    const log = await launch('#!/bin/sh\napt-get install -y redis\nsystemctl start redis\n');
    assert.ok(log.includes('+ apt-get install -y redis') && log.includes('+ systemctl start redis'), log);
    assert.match(await launch('#cloud-config\nusers: [unclosed\n'), /#cloud-config could not be read/);
  });
});
