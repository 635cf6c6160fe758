import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
  type Filter,
  type Reservation,
} from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { quickWaiter } from '../helpers/waiters.js';

/**
 * DescribeInstances pages in CloudStack (one listVirtualMachines page a call), not by slicing the
 * whole rendered list: every instance comes once across the pages, as the unpaged call shows it,
 * filters hold on every page, and the instances terminated within the hour follow the last page.
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
    await waitUntilInstanceRunning(quickWaiter(ec2, 120), { InstanceIds: ids });
    gone.push(...ids.slice(0, 2));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: gone }));
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped()] }));
    const wait = quickWaiter(ec2, 120);
    await waitUntilInstanceTerminated(wait, { InstanceIds: gone });
    await waitUntilInstanceStopped(wait, { InstanceIds: [stopped()] });
  });
  const stopped = () => ids[2]!;
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
    assert.deepEqual(
      running.seen.map((x) => x.id).sort(),
      ids.filter((i) => !gone.includes(i) && i !== stopped()).sort(),
    );
    const basic = await walk(6, [{ Name: 'availability-zone', Values: ['Sandbox-simulator-basic'] }]);
    assert.deepEqual([...new Set(basic.seen.map((x) => x.id))].sort(), [...ids].sort());
    const advanced = await walk(6, [{ Name: 'availability-zone', Values: ['Sandbox-simulator-advanced'] }]);
    assert.deepEqual(advanced.seen, []);
    assert.deepEqual(
      (await walk(6, [{ Name: 'availability-zone', Values: ['nowhere-1a'] }])).seen,
      [],
      'an unknown zone lists nothing, not an error',
    );
    const halted = await walk(5, [{ Name: 'instance-state-name', Values: ['stopped'] }]);
    assert.deepEqual(halted.seen, [{ id: stopped(), state: 'stopped' }]);
    const wildcard = await walk(5, [{ Name: 'tag:team', Values: ['pag*'] }]);
    assert.equal(new Set(wildcard.seen.map((x) => x.id)).size, ids.length);
  });

  /** Reservations by instance id, each instance once (a second sighting fails the test). */
  function byInstance(reservations: Reservation[]) {
    const out = new Map<string, Reservation>();
    for (const r of reservations) {
      const id = r.Instances![0]!.InstanceId!;
      assert.ok(!out.has(id), `${id} listed twice`);
      out.set(id, r);
    }
    return out;
  }

  it('pages hold exactly the reservations the unpaged call gives, filters pushed down or not', async () => {
    const byId = [{ Name: 'instance-id', Values: [ids[0]!, ids[3]!, ids[4]!, 'i-0123456789abcdef0'] }];
    const queries: (Filter[] | undefined)[] = [
      undefined,
      [{ Name: 'tag:team', Values: ['paging'] }],
      [{ Name: 'availability-zone', Values: ['Sandbox-simulator-basic'] }],
      [{ Name: 'instance-state-name', Values: ['stopped', 'terminated'] }],
      [
        { Name: 'instance-state-name', Values: ['stopped'] },
        { Name: 'availability-zone', Values: ['Sandbox-simulator-basic'] },
      ],
      byId,
      [{ Name: 'instance-type', Values: ['t2.micro'] }],
      [
        { Name: 'tag:team', Values: ['pag*'] },
        { Name: 'instance-state-name', Values: ['running'] },
      ],
    ];
    for (const Filters of queries) {
      const whole = byInstance((await ec2.send(new DescribeInstancesCommand({ Filters }))).Reservations ?? []);
      const paged: Reservation[] = [];
      for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, { Filters }))
        paged.push(...(page.Reservations ?? []));
      const label = JSON.stringify(Filters);
      assert.ok(whole.size > 0, `${label} matches some instances`);
      assert.deepEqual(byInstance(paged), whole, label);
    }
    const picked = byInstance((await ec2.send(new DescribeInstancesCommand({ Filters: byId }))).Reservations ?? []);
    assert.deepEqual([...picked.keys()].sort(), [ids[0]!, ids[3]!, ids[4]!].sort());
    assert.equal(picked.get(ids[0]!)!.Instances![0]!.State!.Name, 'terminated');
  });

  it('goes on at the page size of its token when only NextToken is given', async () => {
    const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    const seen = (first.Reservations ?? []).map((r) => r.Instances![0]!.InstanceId!);
    for (let token = first.NextToken; token;) {
      const page = await ec2.send(new DescribeInstancesCommand({ NextToken: token }));
      assert.ok((page.Reservations ?? []).length <= 5);
      seen.push(...(page.Reservations ?? []).map((r) => r.Instances![0]!.InstanceId!));
      token = page.NextToken;
    }
    assert.deepEqual([...seen].sort(), [...ids].sort());
  });

  it('refuses a token of another query, of another page size, or altered', async () => {
    const Filters = [{ Name: 'tag:team', Values: ['paging'] }];
    const { NextToken } = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5, Filters }));
    assert.ok(NextToken);
    const refused = (e: any) => e.name === 'InvalidParameterValue' && /NextToken/.test(e.message);
    await assert.rejects(ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken })), refused);
    await assert.rejects(ec2.send(new DescribeInstancesCommand({ MaxResults: 6, NextToken, Filters })), refused);
    const text = Buffer.from(NextToken, 'base64url').toString();
    const altered = Buffer.from(text.replace(/^p2\./, 'p3.')).toString('base64url');
    assert.notEqual(altered, NextToken);
    await assert.rejects(
      ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: altered, Filters })),
      refused,
    );
    const again = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken, Filters }));
    assert.equal((again.Reservations ?? []).length, 5, 'the token itself still works');
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
