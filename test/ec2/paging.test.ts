import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  waitUntilInstanceRunning,
  type Filter,
} from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * DescribeInstances pages in CloudStack (one listVirtualMachines page a call), not by slicing the
 * whole rendered list: every instance comes once across the pages, filters hold on every page, and
 * the instances terminated within the hour follow the last page.
 */
describe('EC2 DescribeInstances pages', () => {
  let s: TestServer;
  let ec2: EC2Client;
  let ids: string[] = [];
  const gone: string[] = [];
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    const [image] = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image!.ImageId,
        MinCount: 12,
        MaxCount: 12,
        Placement: { AvailabilityZone: 'Sandbox-simulator-basic' },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'paging' }] }],
      }),
    );
    ids = run.Instances!.map((i) => i.InstanceId!);
    await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 120, minDelay: 1, maxDelay: 1 }, { InstanceIds: ids });
    gone.push(...ids.slice(0, 2));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: gone }));
  });
  after(async () => {
    ec2.destroy();
    await s.stop();
  });

  async function walk(pageSize: number, Filters?: Filter[]) {
    const seen: { id: string; state: string }[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize }, { Filters })) {
      pages++;
      assert.ok((page.Reservations ?? []).length <= pageSize, `page ${pages} holds at most ${pageSize}`);
      for (const r of page.Reservations ?? [])
        for (const i of r.Instances ?? []) seen.push({ id: i.InstanceId!, state: i.State!.Name! });
    }
    return { seen, pages };
  }

  it('shows every instance exactly once across pages of five', async () => {
    const { seen, pages } = await walk(5);
    assert.deepEqual([...new Set(seen.map((x) => x.id))].sort(), [...ids].sort());
    assert.equal(seen.length, ids.length, 'no instance twice');
    assert.ok(pages >= 3, `${pages} pages`);
    for (const x of seen.filter((y) => gone.includes(y.id))) assert.match(x.state, /^(shutting-down|terminated)$/);
  });

  it('holds filters on every page: running instances of a tag, one zone, another zone', async () => {
    const running = await walk(5, [
      { Name: 'tag:team', Values: ['paging'] },
      { Name: 'instance-state-name', Values: ['running'] },
    ]);
    assert.deepEqual(running.seen.map((x) => x.id).sort(), ids.filter((i) => !gone.includes(i)).sort());
    const basic = await walk(6, [{ Name: 'availability-zone', Values: ['Sandbox-simulator-basic'] }]);
    assert.deepEqual([...new Set(basic.seen.map((x) => x.id))].sort(), [...ids].sort());
    const advanced = await walk(6, [{ Name: 'availability-zone', Values: ['Sandbox-simulator-advanced'] }]);
    assert.deepEqual(advanced.seen, []);
    assert.deepEqual(
      (await walk(6, [{ Name: 'availability-zone', Values: ['nowhere-1a'] }])).seen,
      [],
      'an unknown zone lists nothing, not an error',
    );
    const stopped = await walk(5, [{ Name: 'instance-state-name', Values: ['stopped'] }]);
    assert.deepEqual(stopped.seen, []);
    const wildcard = await walk(5, [{ Name: 'tag:team', Values: ['pag*'] }]);
    assert.equal(new Set(wildcard.seen.map((x) => x.id)).size, ids.length);
  });

  it('refuses a token it did not write and a page size outside 5..1000', async () => {
    for (const NextToken of [
      'bm90LWEtdG9rZW4',
      Buffer.from('polystack:0').toString('base64url'),
      Buffer.from('5').toString('base64url'),
    ]) {
      await assert.rejects(
        ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken })),
        (e: any) => e.name === 'InvalidParameterValue' && /NextToken/.test(e.message),
      );
    }
    await assert.rejects(
      ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })),
      (e: any) => e.name === 'InvalidParameterValue',
    );
    await assert.rejects(
      ec2.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: [ids[5]!] })),
      (e: any) => e.name === 'InvalidParameterCombination',
    );
  });
});
