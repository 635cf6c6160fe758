// Request parameter rules (reference §1, §3): exact error texts, types, lengths, maps, paging, names.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CsClient } from '../helpers/cs-client.js';
import { assertCsError, badIdText, basics, type Basics } from '../helpers/cs-fixtures.js';
import { startServer, type TestServer } from '../helpers/server.js';

const GHOST = '0b8c4c84-5a5c-4c54-9a55-2d3c2d1e0f00';

describe('request parameters', () => {
  let s: TestServer;
  let cs: CsClient;
  let ids: Basics;
  let vm: string;
  before(async () => {
    s = await startServer();
    cs = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    ids = await basics(cs);
    const d = await cs.call('deployVirtualMachine', {
      zoneid: ids.zone,
      serviceofferingid: ids.offering,
      templateid: ids.template,
      startvm: 'false',
      userdata: 'aGVsbG8=',
    });
    vm = d.body.id;
    await cs.waitJob(d.body.jobid);
  });
  after(() => s.stop());

  it('a missing required parameter: 431 "... due to missing parameter <name>", cserrorcode 9999', async () => {
    assertCsError(
      await cs.call('deployVirtualMachine', {}),
      431,
      'Unable to execute API command deployvirtualmachine due to missing parameter zoneid',
      9999,
    );
    const noTemplate = await cs.call('deployVirtualMachine', { zoneid: ids.zone, serviceofferingid: ids.offering });
    assertCsError(
      noTemplate,
      431,
      'Unable to execute API command deployvirtualmachine due to missing parameter templateid',
      9999,
    );
    assertCsError(
      await cs.call('queryAsyncJobResult', {}),
      431,
      'Unable to execute API command queryasyncjobresult due to missing parameter jobid',
      9999,
    );
  });

  it('a malformed uuid and a well-formed unknown one get the exact Terraform-matched text', async () => {
    for (const [cmd, name, v] of [
      ['listVirtualMachines', 'id', 'not-a-uuid'],
      ['listVirtualMachines', 'id', GHOST],
      ['startVirtualMachine', 'id', GHOST],
      ['destroyVirtualMachine', 'id', 'a,b'],
      ['queryAsyncJobResult', 'jobid', GHOST],
      ['queryAsyncJobResult', 'jobid', 'nope'],
    ] as const) {
      const r = await cs.call(cmd, { [name]: v });
      assert.equal(r.key, `${cmd.toLowerCase()}response`);
      assertCsError(r, 431, badIdText(cmd.toLowerCase(), name, v), 9999);
    }
    const dep = await cs.call('deployVirtualMachine', {
      zoneid: GHOST,
      serviceofferingid: ids.offering,
      templateid: ids.template,
    });
    assertCsError(dep, 431, badIdText('deployvirtualmachine', 'zoneid', GHOST), 9999);
  });

  it('an integer parameter with a non-number: 431 "... due to invalid value <v> for parameter <name>"', async () => {
    for (const v of ['two', '1.5', '0x10', '99999999999', ' 1']) {
      const r = await cs.call('listZones', { page: v, pagesize: '10' });
      assertCsError(
        r,
        431,
        `Unable to execute API command listzones due to invalid value ${v} for parameter page`,
        9999,
      );
    }
    assert.equal(
      (await cs.call('listZones', { page: '+1', pagesize: '10' })).status,
      200,
      'Integer.valueOf takes a sign',
    );
  });

  it('a string over its annotated length is a 431; a list is not held to it', async () => {
    const r = await cs.call('listZones', { keyword: 'k'.repeat(256) });
    assertCsError(
      r,
      431,
      'Unable to execute API command listzones due to invalid value. Value greater than max allowed length 255 for param: keyword',
      9999,
    );
    assert.equal((await cs.call('listZones', { keyword: 'k'.repeat(255) })).status, 200);
    // Eight uuids are 295 characters; list parameters have no length check in ParamProcessWorker.
    const many = await cs.call('listVirtualMachines', { ids: Array(8).fill(vm).join(',') });
    assert.equal(many.status, 200, JSON.stringify(many.body));
    assert.equal(many.body.count, 1);
  });

  it('control characters in any parameter, known or not, are a 431 naming the parameter as sent', async () => {
    for (const c of ['\u0000', '\u0007', '\u000b', '\u001f', '\u007f']) {
      assertCsError(
        await cs.call('listZones', { name: `a${c}b` }),
        431,
        'Received value containing illegal ASCII non-printable characters for parameter name',
        9999,
      );
      assertCsError(
        await cs.call('listZones', { ExtraThing: c }),
        431,
        'Received value containing illegal ASCII non-printable characters for parameter ExtraThing',
        9999,
      );
    }
    // Tab, newline and carriage return are printable enough.
    assert.equal((await cs.call('listZones', { keyword: 'a\tb\nc\rd' })).status, 200);
  });

  it('a date parameter that does not parse gets the date text', async () => {
    const r = await cs.call('listEvents', { startdate: 'yesterday' });
    assertCsError(
      r,
      431,
      'Unable to parse date yesterday for command listevents, please pass dates in the format mentioned in the api documentation',
      9999,
    );
    assert.equal((await cs.call('listEvents', { startdate: '2020-01-01' })).status, 200);
    assert.equal((await cs.call('listEvents', { startdate: '2020-01-01 10:00:00' })).status, 200);
  });

  it('map parameters: tags[0].key / tags[0].value filter, names case-insensitive before the bracket', async () => {
    const t = await cs.call('createTags', {
      resourcetype: 'UserVm',
      resourceids: vm,
      'tags[0].key': 'tier',
      'tags[0].value': 'web',
      'TAGS[1].key': 'env',
      'TAGS[1].value': 'test',
    });
    assert.equal(t.status, 200, JSON.stringify(t.body));
    assert.equal((await cs.waitJob(t.body.jobid)).jobstatus, 1);
    const hit = await cs.call('listVirtualMachines', { 'tags[0].key': 'tier', 'tags[0].value': 'web' });
    assert.deepEqual(
      hit.body.virtualmachine.map((v: any) => v.id),
      [vm],
    );
    const miss = await cs.call('listVirtualMachines', { 'Tags[0].key': 'tier', 'Tags[0].value': 'db' });
    assert.deepEqual(miss.body, {});
    const tags = (await cs.call('listVirtualMachines', { id: vm })).body.virtualmachine[0].tags
      .map((x: any) => `${x.key}=${x.value}`)
      .sort();
    assert.deepEqual(tags, ['env=test', 'tier=web']);
  });

  it('malformed map names are a 430 "Unable to decode parameter ..."', async () => {
    for (const name of [
      'tags[x].key',
      'tags[0]',
      'tags[0][1].key',
      'tags]0[.key',
      'ta.gs[0]key',
      'tags[99999999999].key',
      'tags[].key',
    ]) {
      const r = await cs.call('listVirtualMachines', { [name]: 'v' });
      assertCsError(
        r,
        430,
        `Unable to decode parameter ${name}; if specifying an object array, please use parameter[index].field=XXX, e.g. userGroupList[0].group=httpGroup`,
      );
    }
    // What ParamUnpackWorker accepts: a field with dots, and a name that starts with '[' (a plain parameter).
    for (const name of ['tags[0].a.b', '[0].key', 'tags[-1].key']) {
      const r = await cs.call('listVirtualMachines', { [name]: 'v' });
      assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.body)}`);
    }
  });

  it('paging: page and pagesize come together; pagesize at most 500; -1 is unlimited; count is the total', async () => {
    assertCsError(
      await cs.call('listZones', { pagesize: '1' }),
      431,
      '"page" parameter is required when "pagesize" is specified',
      9999,
    );
    assertCsError(
      await cs.call('listZones', { page: '1' }),
      431,
      '"pagesize" parameter is required when "page" is specified',
      9999,
    );
    assertCsError(
      await cs.call('listZones', { page: '1', pagesize: '501' }),
      431,
      "Page size can't exceed max allowed page size value: 500",
      4350,
    );
    assertCsError(
      await cs.call('listZones', { page: '1', pagesize: '-1' }),
      431,
      "Can't specify page parameter when pagesize is -1 (Unlimited)",
      4350,
    );
    assert.equal((await cs.call('listZones', { pagesize: '-1' })).body.count, 2);
    assert.equal((await cs.call('listZones', { page: '1', pagesize: '500' })).body.count, 2);
    const p1 = await cs.call('listZones', { page: '1', pagesize: '1' });
    const p2 = await cs.call('listZones', { page: '2', pagesize: '1' });
    assert.equal(p1.body.count, 2, 'count is the total, not the page length');
    assert.equal(p1.body.zone.length, 1);
    assert.equal(p2.body.count, 2);
    assert.notEqual(p2.body.zone[0].id, p1.body.zone[0].id);
    // Past the last page: the count and no array at all (ApiResponseSerializer skips an empty one).
    const past = await cs.call('listZones', { page: '3', pagesize: '1' });
    assert.equal(past.status, 200);
    assert.deepEqual(past.body, { count: 2 });
    // BaseListCmd.getStartIndex reads a page below 1 as the first page; pagesize 0 is LIMIT n, 0.
    for (const page of ['0', '-1'])
      assert.equal((await cs.call('listZones', { page, pagesize: '1' })).body.zone[0].id, p1.body.zone[0].id);
    assert.deepEqual((await cs.call('listZones', { page: '1', pagesize: '0' })).body, { count: 2 });
  });

  it('parameter names are case-insensitive (zoneId, NAME); unknown parameters are ignored', async () => {
    const r = await cs.call('listTemplates', {
      templateFilter: 'featured',
      zoneId: ids.zone,
      Name: 'CentOS 5.3(64-bit) no GUI (Simulator)',
      whatever: 'x',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(
      r.body.template.map((t: any) => t.id),
      [ids.template],
    );
    const d = await cs.call('deployVirtualMachine', {
      ZoneId: ids.zone,
      serviceOfferingId: ids.offering,
      TEMPLATEID: ids.template,
      startVm: 'false',
    });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    await cs.waitJob(d.body.jobid);
  });

  it('booleans follow Boolean.valueOf: any case of "true" is true, anything else false', async () => {
    for (const [v, shown] of [
      ['true', true],
      ['TRUE', true],
      ['True', true],
      ['yes', false],
      ['1', false],
      ['false', false],
    ] as const) {
      const r = await cs.call('listVirtualMachines', { id: vm, userdata: v });
      assert.equal(r.body.virtualmachine[0].userdata === 'aGVsbG8=', shown, `userdata=${v}`);
    }
  });

  it('a value with + reaches the command intact when sent as %2B', async () => {
    const r = await cs.call('listVirtualMachines', { keyword: 'a+b' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {});
  });
});
