import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { startServer, type TestServer } from '../helpers/server.js';
import { signed } from './signer.js';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/;
const badId = (cmd: string, name: string, v: string) =>
  `Unable to execute API command ${cmd} due to invalid value. Invalid parameter ${name} value=${v} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`;

describe('envelopes, error shapes and parameter rules', () => {
  let s: TestServer;
  let ids: { zone: string; offering: string; template: string };
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '300' } });
    ids = {
      zone: (await call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0].id,
      offering: (await call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id,
      template: (await call('listTemplates', { templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })).body.template[0].id,
    };
  });
  after(() => s.stop());

  async function raw(params: Record<string, string>, method: 'GET' | 'POST' = 'GET') {
    const q = signed(params, s.apiKey, s.secretKey).query;
    return method === 'GET' ? fetch(`${s.endpoint}?${q}`) : fetch(s.endpoint, { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: q });
  }
  async function call(command: string, params: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET') {
    const r = await raw({ command, response: 'json', ...params }, method);
    const json = await r.json();
    assert.deepEqual(Object.keys(json), [`${command.toLowerCase()}response`], 'exactly one top-level key');
    assert.ok(r.status < 500 || (r.status >= 530 && r.status <= 537), `no plain 5xx (${r.status})`);
    return { status: r.status, type: r.headers.get('content-type'), body: json[`${command.toLowerCase()}response`] };
  }
  const assertError = (r: { status: number; body: any }, status: number, text: string | RegExp, cs?: number) => {
    assert.equal(r.status, status);
    assert.deepEqual(r.body.uuidList, []);
    assert.equal(r.body.errorcode, status);
    if (cs !== undefined) assert.equal(r.body.cserrorcode, cs);
    if (typeof text === 'string') assert.equal(r.body.errortext, text);
    else assert.match(r.body.errortext, text);
  };
  async function waitJob(jobid: string) {
    for (;;) {
      const r = await call('queryAsyncJobResult', { jobid });
      if (r.body.jobstatus !== 0) return r.body;
      await new Promise((res) => setTimeout(res, 20));
    }
  }

  it('JSON lists: count is the total, items under the singular key; empty lists are {}', async () => {
    const z = await call('listZones');
    assert.equal(z.type, 'application/json; charset=UTF-8');
    assert.equal(z.body.count, 2);
    assert.equal(z.body.zone.length, 2);
    const page = await call('listZones', { page: '1', pagesize: '1' });
    assert.equal(page.body.count, 2, 'count is the total, not the page length');
    assert.equal(page.body.zone.length, 1);
    assert.deepEqual((await call('listZones', { name: 'no-such-zone' })).body, {});
  });

  it('XML is the default: root element with cloud-stack-version, repeated item elements', async () => {
    const r = await raw({ command: 'listZones' });
    assert.equal(r.headers.get('content-type'), 'text/xml; charset=UTF-8');
    const text = await r.text();
    assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?><listzonesresponse cloud-stack-version="'));
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'zone' }).parse(text);
    assert.equal(xml.listzonesresponse.count, 2);
    assert.equal(xml.listzonesresponse.zone.length, 2);
    const err = await raw({ command: 'deployVirtualMachine' });
    const e = new XMLParser().parse(await err.text());
    assert.equal(e.deployvirtualmachineresponse.errorcode, 431);
  });

  it('dates look like 2024-05-01T12:34:56+0000', async () => {
    const t = await call('listTemplates', { templatefilter: 'featured' });
    for (const x of t.body.template) assert.match(x.created, DATE);
  });

  it('missing, malformed and unknown parameters get the exact texts', async () => {
    assertError(await call('deployVirtualMachine', {}), 431, 'Unable to execute API command deployvirtualmachine due to missing parameter zoneid', 9999);
    assertError(await call('listVirtualMachines', { id: 'not-a-uuid' }), 431, badId('listvirtualmachines', 'id', 'not-a-uuid'), 9999);
    const ghost = '0b8c4c84-5a5c-4c54-9a55-2d3c2d1e0f00';
    assertError(await call('listVirtualMachines', { id: ghost }), 431, badId('listvirtualmachines', 'id', ghost), 9999);
    assertError(await call('startVirtualMachine', { id: ghost }), 431, badId('startvirtualmachine', 'id', ghost), 9999);
    assertError(await call('listZones', { page: 'two', pagesize: '1' }), 431, 'Unable to execute API command listzones due to invalid value two for parameter page');
    assertError(await call('createSSHKeyPair', { name: 'x'.repeat(300) }), 431, /Value greater than max allowed length 255 for param: name/);
    assertError(await call('createSSHKeyPair', { name: 'bell\u0007' }), 431, 'Received value containing illegal ASCII non-printable characters for parameter name');
    assertError(await call('listVirtualMachines', { 'tags[x].key': 'a' }), 430, /Unable to decode parameter tags\[x\]\.key/);
  });

  it('paging rules: page with pagesize, pagesize at most default.page.size', async () => {
    assertError(await call('listZones', { pagesize: '10' }), 431, '"page" parameter is required when "pagesize" is specified');
    assertError(await call('listZones', { page: '1', pagesize: '501' }), 431, "Page size can't exceed max allowed page size value: 500");
    assert.equal((await call('listZones', { pagesize: '-1' })).body.count, 2);
  });

  it('listApis lists what is implemented, each with the spec async flag', async () => {
    const spec = new Map(
      (JSON.parse(readFileSync(new URL('../../specs/cloudstack/listApis-4.18.json', import.meta.url), 'utf8')).api as { name: string; isasync: boolean }[]).map((a) => [a.name, a.isasync]),
    );
    const apis = (await call('listApis')).body.api as { name: string; isasync: boolean; params: unknown[] }[];
    assert.ok(apis.length >= 45);
    for (const a of apis) {
      if (spec.has(a.name)) assert.equal(a.isasync, spec.get(a.name), a.name);
      assert.ok(Array.isArray(a.params));
    }
    assert.deepEqual((await call('listApis', { name: 'deployVirtualMachine' })).body.api.map((a: any) => a.name), ['deployVirtualMachine']);
  });

  it('async: deploy answers id and jobid; the job is pending, then its result wraps the object', async () => {
    const d = await call('deployVirtualMachine', { zoneid: ids.zone, serviceofferingid: ids.offering, templateid: ids.template });
    assert.deepEqual(Object.keys(d.body).sort(), ['id', 'jobid']);
    const pending = await call('queryAsyncJobResult', { jobid: d.body.jobid });
    assert.equal(pending.body.jobstatus, 0);
    assert.equal(pending.body.jobresult, undefined);
    assert.equal(pending.body.jobinstancetype, 'VirtualMachine');
    assert.equal(pending.body.jobinstanceid, d.body.id);
    const done = await waitJob(d.body.jobid);
    assert.equal(done.jobstatus, 1);
    assert.equal(done.jobresultcode, 0);
    assert.equal(done.jobresulttype, 'object');
    assert.equal(done.jobresult.virtualmachine.id, d.body.id);
    assert.match(done.completed, DATE);
    const again = await call('startVirtualMachine', { id: d.body.id });
    const failed = await waitJob(again.body.jobid);
    assert.equal(failed.jobstatus, 2);
    assert.equal(failed.jobresultcode, 431);
    assert.match(failed.jobresult.errortext, /already running/);
  });

  it('userdata: base64 only; long userdata only over POST', async () => {
    const base = { zoneid: ids.zone, serviceofferingid: ids.offering, templateid: ids.template, startvm: 'false' };
    assertError(await call('deployVirtualMachine', { ...base, userdata: 'not base64!' }), 431, 'User data is not base64 encoded');
    const long = Buffer.alloc(3100, 'a').toString('base64'); // 4136 characters of base64, over GET's 4096
    assertError(await call('deployVirtualMachine', { ...base, userdata: long }), 431, 'User data is too long for an http GET request');
    const viaPost = await call('deployVirtualMachine', { ...base, userdata: long }, 'POST');
    assert.equal(viaPost.status, 200);
    await waitJob(viaPost.body.jobid);
    const ud = await call('getVirtualMachineUserData', { virtualmachineid: viaPost.body.id });
    assert.equal(ud.body.virtualmachineuserdata.userdata, long);
  });

  it('parameter names are case-insensitive; response=JSON works in any case', async () => {
    const r = await raw({ command: 'listZones', response: 'JSON', NAME: 'Sandbox-simulator-basic' });
    assert.equal((await r.json()).listzonesresponse.count, 1);
  });
});
