// Async jobs (reference §5) and deployVirtualMachine's userdata rules (§7.3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CsClient } from '../helpers/cs-client.js';
import { assertCsError, basics, CS_DATE, type Basics } from '../helpers/cs-fixtures.js';
import { startServer, type TestServer } from '../helpers/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('async jobs', () => {
  let s: TestServer;
  let cs: CsClient;
  let ids: Basics;
  let deploy: (extra?: Record<string, string>, method?: 'GET' | 'POST') => ReturnType<CsClient['call']>;
  before(async () => {
    // Agent commands take 300 ms so a job can be seen in progress.
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '300' } });
    cs = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    ids = await basics(cs);
    deploy = (extra = {}, method = 'GET') =>
      cs.call(
        'deployVirtualMachine',
        { zoneid: ids.zone, serviceofferingid: ids.offering, templateid: ids.template, ...extra },
        method,
      );
  });
  after(() => s.stop());

  it('deployVirtualMachine answers {id, jobid}; the job is in progress, then succeeds with the VM under "virtualmachine"', async () => {
    const d = await deploy();
    assert.equal(d.status, 200);
    assert.deepEqual(Object.keys(d.body).sort(), ['id', 'jobid']);
    assert.match(d.body.id, UUID);
    assert.match(d.body.jobid, UUID);
    // The VM row exists while the job runs.
    const listed = (await cs.call('listVirtualMachines', { id: d.body.id })).body.virtualmachine[0];
    assert.ok(['Starting', 'Stopped', 'Running'].includes(listed.state), listed.state);

    const pending = (await cs.call('queryAsyncJobResult', { jobid: d.body.jobid })).body;
    assert.equal(pending.jobstatus, 0);
    assert.equal(pending.jobprocstatus, 0);
    assert.equal(pending.jobresultcode, 0);
    assert.ok(!('jobresult' in pending), 'no jobresult while in progress');
    assert.ok(!('completed' in pending));
    assert.equal(pending.jobid, d.body.jobid);
    assert.equal(pending.jobinstancetype, 'VirtualMachine');
    assert.equal(pending.jobinstanceid, d.body.id);
    assert.match(pending.cmd, /^org\.apache\.cloudstack\.api\.command\.(admin|user)\.vm\.DeployVMCmd(ByAdmin)?$/);
    assert.match(pending.created, CS_DATE);
    for (const k of ['accountid', 'userid', 'domainid']) assert.match(pending[k], UUID, k);

    const done = await cs.waitJob(d.body.jobid);
    assert.equal(done.jobstatus, 1);
    assert.equal(done.jobresultcode, 0);
    assert.equal(done.jobresulttype, 'object');
    assert.deepEqual(Object.keys(done.jobresult), ['virtualmachine'], 'the first (only) key is the object');
    assert.equal(done.jobresult.virtualmachine.id, d.body.id);
    assert.equal(done.jobresult.virtualmachine.state, 'Running');
    // Serialized while the job was pending: the VM carries its own job (Marvin reads virtual_machine.jobid).
    assert.equal(done.jobresult.virtualmachine.jobid, d.body.jobid);
    assert.equal(done.jobresult.virtualmachine.jobstatus, 0);
    assert.match(done.completed, CS_DATE);
    // Listed after the job ended, the VM has no pending job.
    const after = (await cs.call('listVirtualMachines', { id: d.body.id })).body.virtualmachine[0];
    assert.ok(!('jobid' in after) && !('jobstatus' in after));
  });

  it('a failed job: jobstatus 2, jobresultcode = errorcode, jobresult is the error; the query itself is a 200', async () => {
    const d = await deploy();
    await cs.waitJob(d.body.jobid);
    const again = await cs.call('startVirtualMachine', { id: d.body.id });
    assert.deepEqual(Object.keys(again.body), ['jobid']);
    const failed = await cs.waitJob(again.body.jobid);
    const q = await cs.call('queryAsyncJobResult', { jobid: again.body.jobid });
    assert.equal(q.status, 200);
    assert.equal(failed.jobstatus, 2);
    assert.equal(failed.jobresulttype, 'object');
    assert.equal(typeof failed.jobresult.errortext, 'string');
    assert.equal(failed.jobresult.errorcode, failed.jobresultcode);
    // ApiAsyncJobDispatcher's ExceptionResponse: no cserrorcode, unlike a synchronous error.
    assert.deepEqual(Object.keys(failed.jobresult), ['uuidList', 'errorcode', 'errortext']);
    assert.ok(failed.jobresultcode >= 400, String(failed.jobresultcode));
    assert.match(failed.completed, CS_DATE);
  });

  it('plain async commands answer {jobid}; listAsyncJobs lists jobs under "asyncjobs"', async () => {
    const d = await deploy();
    await cs.waitJob(d.body.jobid);
    const stop = await cs.call('stopVirtualMachine', { id: d.body.id });
    assert.deepEqual(Object.keys(stop.body), ['jobid']);
    const done = await cs.waitJob(stop.body.jobid);
    assert.equal(done.jobresult.virtualmachine.state, 'Stopped');
    const jobs = (await cs.call('listAsyncJobs')).body;
    assert.equal(jobs.count, jobs.asyncjobs.length);
    assert.ok(jobs.asyncjobs.some((j: any) => j.jobid === stop.body.jobid));
  });

  it('userdata that is not base64 is refused before a VM is made', async () => {
    const before = (await cs.call('listVirtualMachines')).body.count;
    for (const userdata of ['not base64!', '@@@@', 'a.b=']) {
      const r = await deploy({ userdata });
      assertCsError(r, 431, 'User data is not base64 encoded');
    }
    assert.equal((await cs.call('listVirtualMachines')).body.count, before);
  });

  it('userdata of 4096 base64 characters or more is refused over GET and accepted over POST', async () => {
    const small = Buffer.alloc(3069, 'a').toString('base64'); // 4092 characters
    const big = Buffer.alloc(3072, 'a').toString('base64'); // 4096 characters
    assert.equal(small.length, 4092);
    assert.equal(big.length, 4096);
    const okGet = await deploy({ userdata: small, startvm: 'false' });
    assert.equal(okGet.status, 200, JSON.stringify(okGet.body));
    assertCsError(
      await deploy({ userdata: big, startvm: 'false' }),
      431,
      'User data is too long for an http GET request',
    );
    const viaPost = await deploy({ userdata: big, startvm: 'false' }, 'POST');
    assert.equal(viaPost.status, 200, JSON.stringify(viaPost.body));
    await cs.waitJob(viaPost.body.jobid);
    const ud = await cs.call('getVirtualMachineUserData', { virtualmachineid: viaPost.body.id });
    assert.deepEqual(ud.body, { virtualmachineuserdata: { virtualmachineid: viaPost.body.id, userdata: big } });
    await cs.waitJob(okGet.body.jobid);
  });

  // UserVmManagerImpl.validateUserData takes what commons-codec's Base64.isBase64 takes (padding
  // optional) and re-encodes it with padding. The check lives in src/services/compute/userdata.ts.
  it('unpadded base64 userdata is accepted and stored padded', async () => {
    const d = await deploy({ userdata: 'aGVsbG8', startvm: 'false' });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    await cs.waitJob(d.body.jobid);
    const ud = await cs.call('getVirtualMachineUserData', { virtualmachineid: d.body.id });
    assert.equal(ud.body.virtualmachineuserdata.userdata, 'aGVsbG8=');
  });

  it('startvm=false leaves the VM Stopped', async () => {
    const d = await deploy({ startvm: 'False' });
    const done = await cs.waitJob(d.body.jobid);
    assert.equal(done.jobstatus, 1);
    assert.equal(done.jobresult.virtualmachine.state, 'Stopped');
  });
});
