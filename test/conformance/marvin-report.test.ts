// The classifying code behind CONFORMANCE.md, over a small synthetic results.tsv and a fake test file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findException } from '../../scripts/conformance/exceptions.js';
import { classifyZone, passRate, renderReport } from '../../scripts/conformance/report.js';
import { countRows, mergeRows, parseResultsTsv, xunitFailures } from '../../scripts/conformance/results.js';
import { compareToExpected } from '../../scripts/conformance/subset.js';
import { laneFileTimeout, readZone, splitLanes } from '../../scripts/conformance/run.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = `from marvin.lib.utils import *

class TestThings(cloudstackTestCase):

    @classmethod
    def setUpClass(cls):
        cls.api = cls.testClient.getApiClient()

    def setUp(self):
        self.dbclient = self.testClient.getDbConnection()
        if self.hypervisor.lower() in ['simulator']:
            self.skipTest("Hypervisor is simulator - skipping Test..")

    def test_01_db(self):
        vm = VirtualMachine.create(self.api, {})
        qresultset = self.dbclient.execute("select id from vm_instance where uuid = '%s';" % vm.id)

    def test_02_ssh(self):
        self.check_guest(vm)

    def check_guest(self, vm):
        ssh = vm.get_ssh_client(ipaddress=vm.ipaddress)
        ssh.execute("ls")

    def test_03_gap(self):
        # ssh would come later, but the test fails on a missing command first
        ssh = SshClient(vm.ipaddress, 22, "root", "password")

    def test_04_skip(self):
        if self.hypervisor.lower() not in ["kvm"]:
            self.skipTest("Skipping test because unsupported hypervisor")

    def test_05_other_skip(self):
        self.skipTest("Requires at least two hosts for performing migration related tests")

    @skipTestIf("hypervisorNotSupported")
    @attr(tags=["advanced"],
          required_hardware="false")
    def test_07_decorated(self):
        pass

    def test_08_module_helper(self):
        ssh = getSSHClient(self)
`;

const TSV = [
  'module\ttest\tstatus\tclass\tgap\treason',
  'test_things\tTestThings.test_01_db\tERROR\tc\tneeds the CloudStack DB\tNoDatabase: HARNESS-STUB: no CloudStack database behind polystack (mysql.connector.connect called)',
  'test_things\tTestThings.test_02_ssh\tERROR\tc\tneeds ssh\tException: SSH connection has Failed. Waited 600s. Error is NoValidConnectionsError',
  'test_things\tTestThings.test_03_gap\tERROR\ta\tmissing command: createFoo\tCloudstackAPIException: Execute cmd: createfoo failed, due to: errorCode: 401, errorText:unable to verify user credentials',
  'test_things\tTestThings.test_04_skip\tSKIP\t\t\tSkipping test because unsupported hypervisor',
  'test_things\tTestThings.test_05_other_skip\tSKIP\t\t\tRequires at least two hosts for performing migration related tests',
  'test_things\tTestThings.test_06_ok\tPASS\t\t\t',
  'test_things\tTestThings.test_07_decorated\tSKIP\t\t\tSkipping test: Reason - hypervisorNotSupported',
  'test_things\tTestThings.test_08_module_helper\tERROR\tc\t\tmarvin.cloudstackException.internalError: SSH Connection Failed',
  '',
].join('\n');

describe('Marvin conformance report', () => {
  const rows = parseResultsTsv(TSV);

  it('reads results.tsv and counts it as the issue table does', () => {
    assert.deepEqual(countRows(rows), { selected: 8, PASS: 1, FAIL: 0, ERROR: 4, SKIP: 3 });
    assert.throws(() => parseResultsTsv('h\nm\tt\tWEIRD\t\t\t\n'), /unknown status/);
  });

  it('names the test line that needs the database, ssh (through a helper) or a hypervisor', () => {
    assert.deepEqual(findException(rows[0], SOURCE), {
      kind: 'database',
      line: 16,
      text: `qresultset = self.dbclient.execute("select id from vm_instance where uuid = '%s';" % vm.id)`,
    });
    assert.deepEqual(findException(rows[1], SOURCE), {
      kind: 'ssh',
      line: 22,
      text: 'ssh = vm.get_ssh_client(ipaddress=vm.ipaddress)',
    });
    assert.equal(findException(rows[3], SOURCE)?.line, 31);
    assert.equal(findException(rows[3], SOURCE)?.kind, 'hypervisor');
    assert.deepEqual(findException(rows[6], SOURCE), {
      kind: 'hypervisor',
      line: 36,
      text: '@skipTestIf("hypervisorNotSupported")',
    });
    assert.deepEqual(findException(rows[7], SOURCE), { kind: 'ssh', line: 43, text: 'ssh = getSSHClient(self)' });
  });

  it('charges a cleanup that needs the database to tearDown, and a router check without host credentials to ssh', () => {
    const src = [
      'class TestOob(cloudstackTestCase):',
      '    def tearDown(self):',
      '        self.dbclient.execute("delete from oobm")',
      '',
      '    def test_power(self):',
      '        self.check_router()',
      '',
      '    def check_router(self):',
      '        self.inner()',
      '',
      '    def inner(self):',
      '        try:',
      '            user, pw = get_host_credentials(self.config, host.ipaddress)',
      '        except KeyError:',
      '            self.skipTest("Marvin configuration has no host credentials to\\',
      '                    check router services")',
    ].join('\n');
    const row = (status: 'ERROR' | 'SKIP', reason: string) => ({
      module: 'test_oob',
      test: 'TestOob.test_power',
      status,
      cause: '',
      gap: '',
      reason,
    });
    assert.deepEqual(
      findException(
        row(
          'ERROR',
          'Exception: Warning: Exception during cleanup : HARNESS-STUB: no CloudStack database behind polystack',
        ),
        src,
      ),
      { kind: 'database', line: 3, text: 'self.dbclient.execute("delete from oobm")' },
    );
    assert.deepEqual(
      findException(
        row(
          'SKIP',
          'Marvin configuration has no host credentials to                                check router services',
        ),
        src,
      ),
      { kind: 'ssh', line: 13, text: 'user, pw = get_host_credentials(self.config, host.ipaddress)' },
    );
    assert.equal(findException(row('ERROR', 'CloudstackAPIException: Execute cmd: foo failed'), src), undefined);
  });

  it('counts a skip a stock CloudStack takes under its defaults, at the line that skips, and no other skip', () => {
    const src = [
      'class TestVeeam(cloudstackTestCase):',
      '    def setUp(self):',
      '        if self.backup_provider != "veeam":',
      '            raise self.skipTest("Skipping test cases which must only run for veeam")',
      '',
      '    def test_01(self):',
      '        pass',
    ].join('\n');
    const row = (reason: string) => ({
      module: 'test_v',
      test: 'TestVeeam.test_01',
      status: 'SKIP' as const,
      cause: '',
      gap: '',
      reason,
    });
    assert.deepEqual(findException(row('Skipping test cases which must only run for veeam'), src), {
      kind: 'default',
      line: 4,
      text: 'raise self.skipTest("Skipping test cases which must only run for veeam")',
    });
    assert.equal(
      findException(row('This test requires two secondary storages with different free space'), src),
      undefined,
    );
    // the message alone is not enough: the test must have the line that skips
    assert.equal(
      findException(
        row('Skipping test cases which must only run for veeam'),
        'class TestVeeam(cloudstackTestCase):\n    def test_01(self):\n        pass',
      ),
      undefined,
    );
  });

  it('counts a call CloudStack itself refuses with the same text, at the line of the call, found through class helpers', () => {
    const src = [
      'class TestIpv6(cloudstackTestCase):',
      '    @classmethod',
      '    def setUpClass(cls):',
      '        r = cls.getPublicIpv6Range()',
      '',
      '    @classmethod',
      '    def getPublicIpv6Range(cls):',
      '        return PublicIpRange.create(cls.apiclient, {})',
      '',
      '    def test_01(self):',
      '        Network.create(self.apiclient, {})',
    ].join('\n');
    const row = (reason: string) => ({
      module: 'test_6',
      test: 'TestIpv6.test_01',
      status: 'ERROR' as const,
      cause: '',
      gap: '',
      reason,
    });
    const api = 'CloudstackAPIException: Execute cmd: createvlaniprange failed, due to: errorCode: 431, errorText:';
    assert.deepEqual(
      findException(
        row(
          `setUpClass: ${api}Unable to find the default physical network with traffic=Public in the specified zone id`,
        ),
        src,
      ),
      { kind: 'refused', line: 8, text: 'return PublicIpRange.create(cls.apiclient, {})' },
    );
    assert.deepEqual(
      findException(row(`${api}Can't have more than one Guest network in zone with network type Basic`), src),
      { kind: 'refused', line: 11, text: 'Network.create(self.apiclient, {})' },
    );
    // another text, or the same text with more after it, is polystack's own answer: not excused
    assert.equal(
      findException(row(`${api}Can't add virtual ip range into a zone of type Basic without Public traffic type`), src),
      undefined,
    );
    assert.equal(
      findException(row(`${api}Can't have more than one Guest network in zone with network type Basic, sorry`), src),
      undefined,
    );
    // the call must be in the test: a refusal met elsewhere is not excused
    assert.equal(
      findException(
        row(`${api}Can't have more than one Guest network in zone with network type Basic`),
        'class TestIpv6(cloudstackTestCase):\n    def test_01(self):\n        pass',
      ),
      undefined,
    );
  });

  it('counts a failure on state left by a cleanup only SQL could do, at that statement, in the named file only', () => {
    const src = [
      'class TestOutOfBandManagement(cloudstackTestCase):',
      '    def tearDown(self):',
      '        self.dbclient.execute("delete from oobm where port=1")',
      '        self.dbclient.execute("delete from cluster_details where name=\'outOfBandManagementEnabled\'")',
      '',
      '    def test_oobm_issue_power_on(self):',
      '        self.issuePowerActionCmd("ON")',
    ].join('\n');
    const reason =
      'Exception: Job failed: {jobresult : {errorcode : 530, errortext : "Out-of-band management is disabled for the host\'s cluster. Aborting Operation."}}';
    const row = (module: string) => ({
      module,
      test: 'TestOutOfBandManagement.test_oobm_issue_power_on',
      status: 'ERROR' as const,
      cause: '',
      gap: '',
      reason,
    });
    assert.deepEqual(findException(row('test_outofbandmanagement'), src), {
      kind: 'database',
      line: 4,
      text: 'self.dbclient.execute("delete from cluster_details where name=\'outOfBandManagementEnabled\'")',
    });
    assert.equal(findException(row('test_other'), src), undefined);
    // results.tsv cuts the reason before the error text: the xunit file's whole messages are read too
    const cut = {
      ...row('test_outofbandmanagement'),
      reason: 'Exception: Job failed: {accountid : ',
      failures: [reason, 'Warning: Exception during cleanup : HARNESS-STUB'],
    };
    assert.equal(findException(cut, src)?.line, 4);
    assert.equal(
      findException({ ...row('test_outofbandmanagement'), reason: 'Exception: Job failed: {errortext : "boom"}' }, src),
      undefined,
    );
  });

  it("reads every error and failure of a method from nose's xunit file", () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunit-'));
    const xml =
      '<?xml version="1.0"?><testsuite name="nosetests" tests="2">' +
      '<testcase classname="smoke.test_x.TestX" name="test_a" time="0.1"><error type="builtins.Exception" message="Job failed: {errortext : &quot;boom&quot;}">trace</error></testcase>' +
      '<testcase classname="smoke.test_x.TestX" name="test_a" time="0.1"><error type="builtins.Exception" message="Warning: cleanup">trace</error></testcase>' +
      '<testcase classname="smoke.test_x.TestX" name="test_b" time="0.1"></testcase></testsuite>';
    writeFileSync(join(dir, 'test_x.xml'), xml);
    const found = xunitFailures(join(dir, 'test_x.xml'));
    assert.deepEqual(found.get('test_a'), ['Job failed: {errortext : "boom"}', 'Warning: cleanup']);
    assert.equal(found.get('test_b'), undefined);
    assert.equal(xunitFailures(join(dir, 'missing.xml')).size, 0);
    rmSync(dir, { recursive: true });
  });

  it('does not excuse a failure whose reason is a polystack gap, nor a skip that is not about the hypervisor', () => {
    assert.equal(findException(rows[2], SOURCE), undefined);
    assert.equal(findException(rows[4], SOURCE), undefined);
    assert.equal(findException(rows[5], SOURCE), undefined);
    // the failure text says ssh, but the method has no ssh line: not an exception
    assert.equal(findException({ ...rows[1], test: 'TestThings.test_05_other_skip' }, SOURCE), undefined);
  });

  it('rates passes over the methods that are not exceptions and lists every failure with its reason', () => {
    const z = { zone: 'advanced', rows, source: () => SOURCE };
    assert.deepEqual(passRate(classifyZone(z)), { counted: 3, exceptions: 5, pass: 1, rate: 1 / 3 });
    const md = renderReport([z], {
      generated: 'now',
      commit: 'abc',
      suite: 'cloudstack-4.18.2',
      minutes: { advanced: 2 },
      files: 1,
      total: 1,
      lanes: 1,
    });
    assert.match(md, /\| advanced \| 8 \| 1 \| 0 \| 4 \| 3 \| 2 \|/);
    assert.match(md, /\| advanced \| 8 \| 5 \| 3 \| 1 \| 33\.3 % \|/);
    assert.match(
      md,
      /\| test_things \| TestThings\.test_03_gap \| ERROR \| CloudstackAPIException: Execute cmd: createfoo/,
    );
    assert.match(md, /\| advanced \| test_things\.TestThings\.test_01_db \| database \| `test_things\.py:16`/);
    assert.doesNotMatch(md, /test_06_ok \| PASS/);
  });

  it("gives a lane the file timeout its longest-sleeping file needs, and keeps the caller's when larger", () => {
    assert.equal(laneFileTimeout(['test_a.py', 'test_vm_autoscaling.py'], undefined), '2700');
    assert.equal(laneFileTimeout(['test_a.py'], undefined), undefined);
    assert.equal(laneFileTimeout(['test_vm_autoscaling.py'], '4000'), '4000');
    assert.equal(laneFileTimeout(['test_a.py'], '600'), '600');
  });

  it('splits files over lanes by size and merges the lanes back in file order', () => {
    const sizes: Record<string, number> = { a: 10, b: 9, c: 2, d: 1 };
    assert.deepEqual(
      splitLanes(Object.keys(sizes), 2, (f) => sizes[f]),
      [
        ['a', 'd'],
        ['b', 'c'],
      ],
    );
    assert.deepEqual(
      splitLanes(['a'], 2, () => 1),
      [['a']],
    );
    const [x, y] = [
      rows.slice(0, 1).map((r) => ({ ...r, module: 'test_b' })),
      rows.slice(1, 2).map((r) => ({ ...r, module: 'test_a' })),
    ];
    assert.deepEqual(
      mergeRows([x, y]).map((r) => r.module),
      ['test_a', 'test_b'],
    );
  });

  it("a re-run replaces its files' rows of the full run, the newest re-run last, and the report names it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'conf-rerun-'));
    const put = (lane: string, lines: string[]) => {
      mkdirSync(join(dir, lane, 'results-advanced'), { recursive: true });
      writeFileSync(
        join(dir, lane, 'results-advanced', 'results.tsv'),
        ['module\ttest\tstatus\tclass\tgap\treason', ...lines, ''].join('\n'),
      );
    };
    try {
      put('lane0', ['test_a\tA.t1\tERROR\ta\t\tboom', 'test_b\tB.t1\tPASS\t\t\t']);
      put('lane1', ['test_c\tC.t1\tFAIL\t\t\tno']);
      put('rerun-100/lane0', ['test_a\tA.t1\tFAIL\t\t\tcloser', 'test_c\tC.t1\tPASS\t\t\t']);
      put('rerun-200/lane0', ['test_a\tA.t1\tPASS\t\t\t', 'test_a\tA.t2\tPASS\t\t\t']);
      const z = readZone(dir, 'advanced');
      assert.deepEqual(
        z.rows.map((r) => [r.module, r.test, r.status]),
        [
          ['test_a', 'A.t1', 'PASS'],
          ['test_a', 'A.t2', 'PASS'],
          ['test_b', 'B.t1', 'PASS'],
          ['test_c', 'C.t1', 'PASS'],
        ],
      );
      const md = renderReport([{ zone: 'advanced', rows: z.rows, source: () => undefined }], {
        generated: 'now',
        commit: 'abc',
        suite: 's',
        minutes: {},
        files: 3,
        total: 3,
        lanes: 2,
        reruns: [{ generated: 'later', commit: 'def', files: ['test_a.py', 'test_c.py'] }],
      });
      assert.match(
        md,
        /Re-run on later at commit def \(`--rerun`\), their rows replacing the full run's: `test_a`, `test_c`\./,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the subset ratchet: a listed method that does not pass is a regression, an unlisted pass is reported', () => {
    const r = compareToExpected(rows, [
      'test_things.TestThings.test_06_ok',
      'test_things.TestThings.test_03_gap',
      'test_things.TestThings.test_99_gone',
    ]);
    assert.deepEqual(
      r.regressed.map((x) => [x.method, x.status]),
      [
        ['test_things.TestThings.test_03_gap', 'ERROR'],
        ['test_things.TestThings.test_99_gone', 'NOT RUN'],
      ],
    );
    assert.deepEqual(compareToExpected(rows, []).unlisted, ['test_things.TestThings.test_06_ok']);
  });
});
