// Response envelopes (reference §4): JSON and XML shapes, content types, dates, error shape, listApis.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { CsClient } from '../helpers/cs-client.js';
import { assertCsError, basics, CS_DATE, type Basics } from '../helpers/cs-fixtures.js';
import { startServer, type TestServer } from '../helpers/server.js';

const JSON_TYPE = 'application/json; charset=UTF-8';
const XML_TYPE = 'text/xml; charset=UTF-8';
const specAsync = new Map<string, boolean>(
  ['listApis-4.18.json', 'simulator-apis.json', 'backup-apis.json'].flatMap((f) =>
    (
      JSON.parse(readFileSync(new URL(`../../specs/cloudstack/${f}`, import.meta.url), 'utf8')).api as {
        name: string;
        isasync: boolean;
      }[]
    ).map((a): [string, boolean] => [a.name, a.isasync]),
  ),
);

describe('response envelopes', () => {
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
      name: 'envelope-vm',
    });
    vm = d.body.id;
    await cs.waitJob(d.body.jobid);
  });
  after(() => s.stop());

  it('a JSON list is {count, <item>: [...]} under the one <command>response key', async () => {
    const r = await cs.call('listZones');
    assert.equal(r.reply.headers.get('content-type'), JSON_TYPE);
    assert.equal(r.key, 'listzonesresponse');
    assert.deepEqual(Object.keys(r.body), ['count', 'zone']);
    assert.equal(r.body.count, r.body.zone.length);
    assert.equal(r.body.count, 2);
  });

  it('an empty list is {} with no count and no array', async () => {
    assert.deepEqual((await cs.call('listZones', { name: 'no-such-zone' })).body, {});
    assert.deepEqual((await cs.call('listVirtualMachines', { name: 'no-such-vm' })).body, {});
    assert.deepEqual((await cs.call('listSSHKeyPairs')).body, {});
  });

  it('single-object, success and fields-only answers have their shapes', async () => {
    const kp = await cs.call('createSSHKeyPair', { name: 'env-key' });
    assert.deepEqual(Object.keys(kp.body), ['keypair']);
    const del = await cs.call('deleteSSHKeyPair', { name: 'env-key' });
    assert.deepEqual(del.body, { success: true });
    const cap = await cs.call('listCapabilities');
    assert.deepEqual(Object.keys(cap.body), ['capability']);
  });

  it('XML is the default: root <command>response with cloud-stack-version, repeated item elements', async () => {
    for (const response of [undefined, 'xml', 'XML', 'something-else']) {
      const r = await cs.raw(response ? { command: 'listZones', response } : { command: 'listZones' });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), XML_TYPE, String(response));
      assert.match(
        r.text,
        /^<\?xml version="1.0" encoding="UTF-8"\?><listzonesresponse cloud-stack-version="\d+\.\d+\.\d+\.\d+">/,
      );
      const x = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'zone' }).parse(r.text);
      assert.equal(x.listzonesresponse.count, 2);
      assert.equal(x.listzonesresponse.zone.length, 2);
    }
  });

  it('XML nests collections as repeated child elements, and async answers put fields under the root', async () => {
    const r = await cs.raw({ command: 'listVirtualMachines', id: vm });
    const x = new XMLParser({ isArray: (n) => ['virtualmachine', 'nic', 'securitygroup'].includes(n) }).parse(r.text);
    const v = x.listvirtualmachinesresponse.virtualmachine[0];
    assert.equal(v.id, vm);
    assert.equal(v.nic.length, 1);
    assert.ok(v.nic[0].ipaddress);
    const job = await cs.raw({ command: 'rebootVirtualMachine', id: vm });
    const jx = new XMLParser().parse(job.text);
    assert.match(String(jx.rebootvirtualmachineresponse.jobid), /^[0-9a-f-]{36}$/);
    await cs.waitJob(jx.rebootvirtualmachineresponse.jobid);
    const q = await cs.raw({ command: 'queryAsyncJobResult', jobid: jx.rebootvirtualmachineresponse.jobid });
    const qx = new XMLParser().parse(q.text);
    assert.equal(qx.queryasyncjobresultresponse.jobstatus, 1);
    assert.equal(qx.queryasyncjobresultresponse.jobresult.virtualmachine.id, vm);
  });

  it('XML errors carry errorcode, cserrorcode and errortext under the root, escaped', async () => {
    const r = await cs.raw({ command: 'listVirtualMachines', id: '<a&b>"' });
    assert.equal(r.status, 431);
    assert.equal(r.headers.get('content-type'), XML_TYPE);
    assert.ok(!r.text.includes('<a&b>'), 'user text is escaped');
    const x = new XMLParser({ processEntities: true, htmlEntities: true }).parse(r.text).listvirtualmachinesresponse;
    assert.equal(x.errorcode, 431);
    assert.equal(x.cserrorcode, 9999);
    assert.match(x.errortext, /Invalid parameter id value=<a&b>" due to/);
  });

  it('every answer carries the servlet security headers', async () => {
    for (const r of [
      await cs.raw({ command: 'listZones', response: 'json' }),
      await cs.raw({ command: 'listZones', id: 'x' }),
    ]) {
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('x-xss-protection'), '1;mode=block');
    }
  });

  it('response=JSON in any case selects JSON', async () => {
    for (const response of ['JSON', 'Json', 'json']) {
      const r = await cs.raw({ command: 'listZones', response });
      assert.equal(r.headers.get('content-type'), JSON_TYPE, response);
      assert.equal(r.json.listzonesresponse.count, 2);
    }
  });

  it('dates look like 2024-05-01T12:34:56+0000', async () => {
    const v = (await cs.call('listVirtualMachines', { id: vm })).body.virtualmachine[0];
    assert.match(v.created, CS_DATE);
    for (const t of (await cs.call('listTemplates', { templatefilter: 'featured' })).body.template)
      assert.match(t.created, CS_DATE);
    for (const e of (await cs.call('listEvents', { page: '1', pagesize: '20' })).body.event ?? [])
      assert.match(e.created, CS_DATE);
    for (const j of (await cs.call('listAsyncJobs')).body.asyncjobs) assert.match(j.created, CS_DATE);
  });

  it('values keep their JSON types: numbers, booleans, always-present arrays; no nulls', async () => {
    const v = (await cs.call('listVirtualMachines', { id: vm })).body.virtualmachine[0];
    assert.equal(typeof v.cpunumber, 'number');
    assert.equal(typeof v.memory, 'number');
    assert.equal(typeof v.haenable, 'boolean');
    for (const k of ['nic', 'securitygroup', 'affinitygroup', 'tags']) assert.ok(Array.isArray(v[k]), k);
    assert.ok(!JSON.stringify(v).includes('null'), 'null fields are omitted');
  });

  it('an error is {uuidList, errorcode, cserrorcode, errortext} with HTTP status = errorcode and X-Description', async () => {
    const r = await cs.call('deployVirtualMachine', {});
    assert.equal(r.key, 'deployvirtualmachineresponse');
    assert.equal(r.reply.headers.get('content-type'), JSON_TYPE);
    assertCsError(r, 431, 'Unable to execute API command deployvirtualmachine due to missing parameter zoneid', 9999);
    assert.equal(r.reply.headers.get('x-description'), r.body.errortext);
  });

  it('an error text with characters a header cannot carry is still answered (not a 500)', async () => {
    for (const id of ['ü', 'a\nb', '日本', 'x\ry']) {
      const r = await cs.call('listVirtualMachines', { id });
      assert.equal(r.status, 431, JSON.stringify(id));
      assert.equal(r.body.errortext.includes(id), true);
    }
  });

  it('listApis lists exactly the implemented commands, each with the spec async flag', async () => {
    const apis = (await cs.call('listApis')).body.api as {
      name: string;
      isasync: boolean;
      params: unknown[];
      response: unknown[];
    }[];
    assert.ok(apis.length >= 40, `only ${apis.length}`);
    const listed = new Set(apis.map((a) => a.name));
    for (const a of apis) {
      assert.ok(specAsync.has(a.name), `${a.name} is not a CloudStack command`);
      assert.equal(a.isasync, specAsync.get(a.name), `${a.name} isasync`);
      assert.ok(Array.isArray(a.params) && Array.isArray(a.response), a.name);
    }
    // Every listed command is served: with an API key an unknown command is a 401, while a known
    // one gets as far as the control-character check, which refuses it before anything runs.
    for (const a of apis) {
      if (['login', 'logout'].includes(a.name)) continue;
      const r = await cs.call(a.name, { probe: '\u0001' });
      assertCsError(r, 431, 'Received value containing illegal ASCII non-printable characters for parameter probe');
    }
    // ...and a real command that is not listed is not served.
    const missing = [...specAsync.keys()].find((n) => !listed.has(n) && n.startsWith('create'))!;
    const r = await cs.call(missing, {});
    assert.equal(r.status, 401);
    assert.equal(r.key, `${missing.toLowerCase()}response`);
    assert.deepEqual(
      (await cs.call('listApis', { name: 'deployVirtualMachine' })).body.api.map((a: any) => a.name),
      ['deployVirtualMachine'],
    );
  });

  it('no request anywhere is answered with a plain 500', async () => {
    const odd = [
      fetch(`${s.endpoint}?command=listZones&response=json&name=%E0%A4%A`),
      fetch(`${s.endpoint}?%%%&&&==`),
      fetch(s.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"command":"listZones"}',
      }),
      fetch(s.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }),
      fetch(s.endpoint, { method: 'PUT', body: 'x' }),
      fetch(s.endpoint, { method: 'DELETE' }),
    ];
    for (const r of await Promise.all(odd)) assert.notEqual(r.status, 500);
  });
});
