import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, finish, runJob, until, world, type Api, type World } from '../helpers/inprocess.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** A Ready data disk of the caller's, attached to a new VM of theirs. */
async function attachedDisk(w: World, as: Api, diskOfferingId: string): Promise<string> {
  const vm = (
    await runJob(w, as, 'deployVirtualMachine', {
      zoneid: w.zones.advanced,
      serviceofferingid: w.small,
      templateid: w.template,
    })
  ).jobresult.virtualmachine;
  const v = (await runJob(w, as, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: diskOfferingId, size: 1 }))
    .jobresult.volume;
  await runJob(w, as, 'attachVolume', { id: v.id, virtualmachineid: vm.id });
  return v.id as string;
}
const policy = (volumeid: string, o: Record<string, string | number> = {}) => ({
  volumeid,
  intervaltype: 'DAILY',
  schedule: '30:02',
  maxsnaps: 3,
  timezone: 'UTC',
  ...o,
});

describe('snapshot policies (createSnapshotPolicy and friends) and the recurring snapshots they take', () => {
  let w: World;
  let api: Api;
  let user: Api;
  let other: Api;
  let custom: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    api = await apiSession(w);
    custom = (await api('listDiskOfferings', {})).body.diskoffering.find((o: any) => o.iscustomized).id;
    for (const name of ['pol-user', 'pol-other']) {
      const r = await api('createAccount', {
        account: name,
        username: name,
        password: 'pw',
        email: `${name}@x`,
        firstname: name,
        lastname: 'u',
        accounttype: 0,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    user = await apiSession(w, 'pol-user', 'pw');
    other = await apiSession(w, 'pol-other', 'pw');
  });
  after(() => w.close());

  const readyDisk = () => attachedDisk(w, user, custom);

  it('answers SnapshotPolicyResponse, with the interval type as its ordinal, and lists it by volume and by id', async () => {
    const vol = await readyDisk();
    const r = await user(
      'createSnapshotPolicy',
      policy(vol, { intervaltype: 'weekly', schedule: '15:10:2', maxsnaps: 4, timezone: 'Europe/Zurich' }),
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const p = r.body.snapshotpolicy;
    assert.deepEqual(
      { ...p, id: 'x' },
      {
        id: 'x',
        volumeid: vol,
        schedule: '15:10:2',
        intervaltype: 2,
        maxsnaps: 4,
        timezone: 'Europe/Zurich',
        fordisplay: true,
        tags: [],
      },
    );
    const byVolume = (await user('listSnapshotPolicies', { volumeid: vol })).body;
    assert.equal(byVolume.count, 1);
    assert.deepEqual(byVolume.snapshotpolicy[0], p);
    assert.deepEqual((await user('listSnapshotPolicies', { id: p.id })).body.snapshotpolicy, [p]);
  });

  it('keeps one policy per volume and interval: creating again updates it; another interval is another policy', async () => {
    const vol = await readyDisk();
    const first = (await user('createSnapshotPolicy', policy(vol, { 'tags[0].key': 'tier', 'tags[0].value': 'gold' })))
      .body.snapshotpolicy;
    assert.deepEqual(
      first.tags.map((t: any) => [t.key, t.value, t.resourcetype, t.resourceid, t.account]),
      [['tier', 'gold', 'SnapshotPolicy', first.id, 'pol-user']],
    );
    const again = (
      await user(
        'createSnapshotPolicy',
        policy(vol, { intervaltype: 'daily', schedule: '00:05', maxsnaps: 7, timezone: 'Asia/Tokyo' }),
      )
    ).body.snapshotpolicy;
    assert.equal(again.id, first.id);
    assert.deepEqual(
      [again.schedule, again.maxsnaps, again.timezone, again.tags],
      ['00:05', 7, 'Asia/Tokyo', []],
      'the update replaces the tags',
    );
    const hourly = (
      await user('createSnapshotPolicy', policy(vol, { intervaltype: 'HOURLY', schedule: '5', maxsnaps: 2 }))
    ).body.snapshotpolicy;
    assert.notEqual(hourly.id, first.id);
    const listed = (await user('listSnapshotPolicies', { volumeid: vol })).body;
    assert.deepEqual(
      listed.snapshotpolicy.map((x: any) => [x.intervaltype, x.maxsnaps]),
      [
        [1, 7],
        [0, 2],
      ],
    );
    const tags = (await user('listTags', { resourcetype: 'SnapshotPolicy' })).body;
    assert.equal(tags.count ?? 0, 0);
    assert.equal(
      (
        await user('createTags', {
          resourcetype: 'SnapshotPolicy',
          resourceids: hourly.id,
          'tags[0].key': 'k',
          'tags[0].value': 'v',
        })
      ).status,
      200,
    );
  });

  it("refuses with CloudStack's 431 messages and writes nothing", async () => {
    const vol = await readyDisk();
    const refusals: [Record<string, string | number>, string][] = [
      [{ intervaltype: 'yearly' }, 'Unsupported interval type yearly'],
      [{ intervaltype: 'DAILY', schedule: '30' }, 'Invalid schedule: 30 for interval type: DAILY'],
      [{ intervaltype: 'weekly', schedule: '30:02' }, 'Invalid schedule: 30:02 for interval type: weekly'],
      [{ intervaltype: 'MONTHLY', schedule: '0:1:29' }, 'Invalid schedule: 0:1:29 for interval type: MONTHLY'],
      [{ intervaltype: 'HOURLY', schedule: 'half past' }, 'Invalid schedule: half past for interval type: HOURLY'],
      [{ maxsnaps: 0 }, 'maxSnaps should be greater than 0'],
      [{ intervaltype: 'hourly', schedule: '1', maxsnaps: 9 }, 'maxSnaps exceeds limit: 8 for interval type: hourly'],
    ];
    for (const [params, text] of refusals) {
      const r = await user('createSnapshotPolicy', policy(vol, params));
      assert.equal(r.status, 431, `${JSON.stringify(params)} ${JSON.stringify(r.body)}`);
      assert.equal(r.body.errortext, text);
    }
    assert.deepEqual((await user('listSnapshotPolicies', { volumeid: vol })).body, {});
    const missing = await user('createSnapshotPolicy', {
      volumeid: vol,
      intervaltype: 'DAILY',
      schedule: '0:0',
      maxsnaps: 1,
    });
    assert.equal(missing.status, 431);
    const unready = (
      await runJob(w, user, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: custom, size: 1 })
    ).jobresult.volume;
    const r = await user('createSnapshotPolicy', policy(unready.id));
    assert.equal(r.status, 431);
    assert.equal(
      r.body.errortext,
      `VolumeId: ${unready.id} is not in Ready state but Allocated. Cannot take snapshot.`,
    );
    // A hidden policy (fordisplay, the root admin's) is not scheduled, so the volume need not be Ready.
    assert.equal((await api('createSnapshotPolicy', policy(unready.id, { fordisplay: 'false' }))).status, 200);
  });

  it('snapshot.max.<interval> bounds maxsnaps; an unknown time zone is GMT, as Java reads it', async () => {
    const vol = await readyDisk();
    assert.equal((await api('updateConfiguration', { name: 'snapshot.max.daily', value: '2' })).status, 200);
    const r = await user('createSnapshotPolicy', policy(vol));
    assert.equal(r.body.errortext, 'maxSnaps exceeds limit: 2 for interval type: DAILY');
    assert.equal((await api('updateConfiguration', { name: 'snapshot.max.daily', value: '8' })).status, 200);
    assert.equal(
      (await user('createSnapshotPolicy', policy(vol, { timezone: 'Mars/Olympus' }))).body.snapshotpolicy.timezone,
      'GMT',
    );
    assert.equal(
      (await user('createSnapshotPolicy', policy(vol, { timezone: 'GMT+5:30' }))).body.snapshotpolicy.timezone,
      'GMT+05:30',
    );
  });

  it("another account can neither create, list, update nor delete a volume's policies", async () => {
    const vol = await readyDisk();
    const p = (await user('createSnapshotPolicy', policy(vol))).body.snapshotpolicy;
    assert.equal((await other('createSnapshotPolicy', policy(vol))).status, 531);
    assert.equal((await other('listSnapshotPolicies', { volumeid: vol })).status, 531);
    assert.equal((await other('listSnapshotPolicies', { id: p.id })).status, 531);
    assert.equal((await other('deleteSnapshotPolicies', { id: p.id })).status, 531);
    const upd = await runJob(w, other, 'updateSnapshotPolicy', { id: p.id });
    assert.equal(upd.jobstatus, 2);
    assert.equal(upd.jobresultcode, 531);
    assert.equal((await user('listSnapshotPolicies', { id: p.id })).body.count, 1);
    assert.equal(
      (await api('listSnapshotPolicies', { id: p.id })).body.count,
      1,
      'the root admin reaches every volume',
    );
  });

  it('listSnapshotPolicies needs a volume (or a policy id) and shows one display flag at a time; fordisplay is the root admin’s', async () => {
    const none = await user('listSnapshotPolicies', {});
    assert.equal(none.status, 431);
    assert.equal(none.body.errortext, 'Unable to find a volume with id null');
    const vol = await readyDisk();
    const p = (await user('createSnapshotPolicy', policy(vol))).body.snapshotpolicy;
    const hidden = await runJob(w, api, 'updateSnapshotPolicy', { id: p.id, fordisplay: false });
    assert.equal(hidden.jobstatus, 1, JSON.stringify(hidden));
    assert.equal(hidden.jobresult.snapshotpolicy.fordisplay, false);
    assert.deepEqual((await user('listSnapshotPolicies', { volumeid: vol })).body, {});
    assert.deepEqual(
      (await user('listSnapshotPolicies', { volumeid: vol, fordisplay: false })).body,
      {},
      'a user cannot ask for hidden ones',
    );
    assert.equal(
      (await api('listSnapshotPolicies', { volumeid: vol, fordisplay: false })).body.snapshotpolicy[0].id,
      p.id,
    );
    // A user's fordisplay is dropped: the update changes nothing.
    assert.equal(
      (await runJob(w, user, 'updateSnapshotPolicy', { id: p.id, fordisplay: true })).jobresult.snapshotpolicy
        .fordisplay,
      false,
    );
  });

  it('deleteSnapshotPolicies takes an id or ids; deleting a volume deletes its policies', async () => {
    const vol = await readyDisk();
    const [a, b, c] = await Promise.all(
      ['HOURLY', 'DAILY', 'WEEKLY'].map(
        async (t) =>
          (await user('createSnapshotPolicy', policy(vol, { intervaltype: t, schedule: '1:1:1', maxsnaps: 1 }))).body
            .snapshotpolicy.id,
      ),
    );
    const nothing = await user('deleteSnapshotPolicies', {});
    assert.equal(nothing.status, 431);
    assert.equal(nothing.body.errortext, 'No policy id (or list of ids) specified.');
    assert.deepEqual((await user('deleteSnapshotPolicies', { id: a })).body, { success: true });
    assert.equal(
      (await user('deleteSnapshotPolicies', { id: a })).status,
      431,
      'a deleted policy id no longer resolves',
    );
    assert.deepEqual((await user('deleteSnapshotPolicies', { ids: `${b},${c}` })).body, { success: true });
    assert.deepEqual((await user('listSnapshotPolicies', { volumeid: vol })).body, {});

    const keep = (await user('createSnapshotPolicy', policy(vol, { 'tags[0].key': 'x', 'tags[0].value': 'y' }))).body
      .snapshotpolicy.id;
    await runJob(w, user, 'detachVolume', { id: vol });
    assert.equal((await user('deleteVolume', { id: vol })).status, 200);
    assert.equal((await api('listSnapshotPolicies', { id: keep })).status, 431);
    assert.equal(
      (await api('listTags', { resourcetype: 'SnapshotPolicy', resourceid: keep, listall: true })).body.count ?? 0,
      0,
    );
  });
});

describe('the snapshot scheduler on the cloud clock', () => {
  let w: World;
  let api: Api;
  let user: Api;
  let custom: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    api = await apiSession(w);
    custom = (await api('listDiskOfferings', {})).body.diskoffering.find((o: any) => o.iscustomized).id;
    const r = await api('createAccount', {
      account: 'sched-user',
      username: 'sched-user',
      password: 'pw',
      email: 'sched@x',
      firstname: 's',
      lastname: 'u',
      accounttype: 0,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    user = await apiSession(w, 'sched-user', 'pw');
  });
  after(() => w.close());

  /** Moves the clock (sessions age with it: both callers log in again). */
  const advance = async (ms: number) => {
    w.clock.advance(ms);
    api = await apiSession(w);
    user = await apiSession(w, 'sched-user', 'pw');
  };

  const readyDisk = () => attachedDisk(w, user, custom);

  it('takes a recurring snapshot at each scheduled time on the clock and keeps only the newest maxsnaps', async () => {
    const vol = await readyDisk();
    const manual = (await runJob(w, user, 'createSnapshot', { volumeid: vol })).jobresult.snapshot;
    // The next half past the hour from now, on the test's clock.
    const start = w.clock.now();
    const firstRun = Math.floor(start / HOUR) * HOUR + 30 * MIN + (start % HOUR >= 30 * MIN ? HOUR : 0);
    const p = (
      await user(
        'createSnapshotPolicy',
        policy(vol, {
          intervaltype: 'HOURLY',
          schedule: '30',
          maxsnaps: 2,
          'tags[0].key': 'made-by',
          'tags[0].value': 'policy',
        }),
      )
    ).body.snapshotpolicy;
    assert.equal(await w.s.snapshotScheduler.poll(), 0, 'nothing is due before its time');

    const taken: string[] = [];
    for (let run = 0; run < 3; run++) {
      await advance(firstRun + run * HOUR - w.clock.now());
      assert.equal(await w.s.snapshotScheduler.poll(), 1, `run ${run}`);
      assert.equal(await w.s.snapshotScheduler.poll(), 0, 'a run is taken once');
      const job = (await user('listAsyncJobs', {})).body.asyncjobs.find(
        (j: any) => j.cmd.endsWith('CreateSnapshotCmd') && j.jobstatus === 0,
      );
      await finish(w, job.jobid);
      const result = (await user('queryAsyncJobResult', { jobid: job.jobid })).body.jobresult.snapshot;
      assert.deepEqual(
        [result.snapshottype, result.intervaltype, result.state, result.volumeid],
        ['HOURLY', 'HOURLY', 'BackedUp', vol],
      );
      assert.deepEqual(
        result.tags.map((t: any) => [t.key, t.value, t.resourcetype]),
        [['made-by', 'policy', 'Snapshot']],
        "the policy's tags go on its snapshots",
      );
      taken.push(result.id);
    }
    const recurring = (await user('listSnapshots', { volumeid: vol, snapshottype: 'RECURRING' })).body.snapshot.map(
      (s: any) => s.id,
    );
    assert.deepEqual(recurring.sort(), taken.slice(1).sort(), 'the oldest recurring snapshot went');
    assert.deepEqual(
      (await user('listSnapshots', { volumeid: vol, snapshottype: 'manual' })).body.snapshot.map((s: any) => s.id),
      [manual.id],
      'manual snapshots are not counted',
    );
    assert.equal((await user('listSnapshots', { volumeid: vol, intervaltype: 'HOURLY' })).body.count, 2);
    assert.equal((await user('listSnapshots', { volumeid: vol })).body.count, 3);
    assert.equal(
      (await user('listSnapshots', { snapshottype: 'sometimes' })).body.errortext,
      'Unsupported snapshot type sometimes',
    );
    assert.equal((await user('listEvents', { type: 'SNAPSHOT.DELETE' })).body.count, 1);

    // Hidden, it is no longer scheduled; shown again, it runs from the next half past.
    await runJob(w, api, 'updateSnapshotPolicy', { id: p.id, fordisplay: false });
    await advance(2 * HOUR);
    assert.equal(await w.s.snapshotScheduler.poll(), 0);
    await runJob(w, api, 'updateSnapshotPolicy', { id: p.id, fordisplay: true });
    await advance(HOUR);
    assert.equal(await w.s.snapshotScheduler.poll(), 1);
    // Gone, its runs stop (and do not come due in the next test).
    assert.equal((await user('deleteSnapshotPolicies', { id: p.id })).status, 200);
    await advance(HOUR);
    assert.equal(await w.s.snapshotScheduler.poll(), 0);
  });

  it('reads a schedule in its time zone, and skips a volume that is busy until the next poll', async () => {
    const vol = await readyDisk();
    const day = Math.ceil(w.clock.now() / (24 * HOUR)) * 24 * HOUR;
    await advance(day - w.clock.now());
    // 09:00 in New York in January is 14:00 GMT.
    await user('createSnapshotPolicy', policy(vol, { schedule: '00:09', timezone: 'America/New_York', maxsnaps: 1 }));
    await advance(14 * HOUR - MIN);
    assert.equal(await w.s.snapshotScheduler.poll(), 0);
    await advance(MIN);
    // A manual snapshot is being taken (its copy waits on the clock): the volume is Snapshotting.
    const busy = await user('createSnapshot', { volumeid: vol });
    await until(async () => (await user('listVolumes', { id: vol })).body.volume[0].state === 'Snapshotting');
    assert.equal(await w.s.snapshotScheduler.poll(), 0, 'a volume being snapshotted waits');
    await finish(w, busy.body.jobid);
    assert.equal(await w.s.snapshotScheduler.poll(), 1, 'the run is still due, and is taken once the volume is Ready');
  });

  it('plans every policy again from now when the scheduler starts: runs missed while it was stopped are not made up', async () => {
    const vol = await readyDisk();
    const p = (await user('createSnapshotPolicy', policy(vol, { intervaltype: 'HOURLY', schedule: '0', maxsnaps: 1 })))
      .body.snapshotpolicy;
    await advance(3 * HOUR + 10 * MIN);
    await w.s.snapshotScheduler.start();
    assert.equal(await w.s.snapshotScheduler.poll(), 0);
    await advance(HOUR - 10 * MIN);
    assert.equal(await w.s.snapshotScheduler.poll(), 1);
    assert.equal((await user('deleteSnapshotPolicies', { id: p.id })).status, 200);
  });
});
