import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import pino from 'pino';
import { registerCloudStackApi } from '../../src/cloudstack/api.js';
import type { StreamedList } from '../../src/cloudstack/command.js';
import { VM_CHUNK } from '../../src/cloudstack/commands/vm.commands.js';
import { double, encodeJson, encodeXml, resultBody } from '../../src/cloudstack/encode.js';
import { jsonList, openList, xmlList } from '../../src/cloudstack/stream.js';
import { DomainError } from '../../src/domain/errors.js';
import type { Vm } from '../../src/domain/types.js';
import type { VmService } from '../../src/services/compute/vm.service.js';
import { resolveConfig } from '../../src/server/config.js';
import { registerHttpGuards, serverOptions } from '../../src/server/http.js';
import { sign, wire } from '../helpers/cs-client.js';
import { insertVms } from '../helpers/bulkvms.js';
import { apiSession, runJob, until, world, type World } from '../helpers/inprocess.js';

/**
 * Issue 15: a full list (pagesize=-1) past `settings.streamListsOver` is written as the VMs are read.
 * What a client sees must not change: the same bytes as the answer built whole, the same error answers
 * before the first byte; and a client that stops reading stops the reading of the database.
 */

async function collect(pieces: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const p of pieces) out += p;
  return out;
}

async function* chunked(chunks: object[][]): AsyncGenerator<object[]> {
  yield* chunks;
}

const streamed = (count: number, chunks: object[][]): StreamedList => ({
  kind: 'stream',
  key: 'thing',
  count,
  chunks: chunked(chunks),
});

describe('a streamed list is written in the bytes of the whole answer', () => {
  const items = [
    { id: 'a', size: double(4000), ratio: double(1.5e-5), nested: { d: double(12_000_000) }, text: 'quote " <&>' },
    { id: 'b', skipped: undefined, nothing: null, list: [1, 'x', { y: double(0) }], flag: false },
    { id: 'c', big: double(1e21), tags: [] },
  ];
  const cases: [string, number, object[][]][] = [
    ['three items in two chunks, with Java doubles', 3, [[items[0]!, items[1]!], [], [items[2]!]]],
    ['a count and no items (a list emptied while it is read)', 2, []],
    ['nothing at all', 0, []],
  ];
  for (const [what, count, chunks] of cases)
    it(what, async () => {
      const whole = resultBody({ kind: 'list', key: 'thing', items: chunks.flat(), count });
      assert.equal(
        await collect(jsonList('listthingsresponse', await openList(streamed(count, chunks)))),
        encodeJson('listthingsresponse', whole),
      );
      assert.equal(
        await collect(xmlList('listthingsresponse', await openList(streamed(count, chunks)))),
        encodeXml('listthingsresponse', whole),
      );
    });
});

describe('listVirtualMachines pagesize=-1 over HTTP, streamed', () => {
  let w: World;
  let stop: () => Promise<unknown> = async () => {};
  let base: string;
  const KEY = 'stream-test-key';
  const SECRET = 'stream-test-secret';
  const logged: { level: number; msg: string; status?: number }[] = [];
  const errors: string[] = [];
  // Three chunks of VMs for the bytes (VM_CHUNK a chunk); many more for a client that stops reading.
  const N = 2_100;
  const MANY = 20_000;

  const url = (params: Record<string, string>) =>
    `${base}/client/api?${wire(sign({ ...params, apiKey: KEY }, SECRET))}`;
  const fullList = (response: 'json' | 'xml') =>
    url({ command: 'listVirtualMachines', listall: 'true', pagesize: '-1', response });

  before(async () => {
    w = await world({ delayMs: 0 });
    await w.s.accounts.setUserKeys(w.admin, w.admin.userId, { apiKey: KEY, secretKey: SECRET });
    const api = await apiSession(w);
    // Two VMs through the API (NICs, a security group in the basic zone, tags), the rest written in bulk.
    for (const zone of [w.zones.advanced, w.zones.basic]) {
      const job = await runJob(w, api, 'deployVirtualMachine', {
        zoneid: zone,
        serviceofferingid: w.small,
        templateid: w.template,
      });
      const id = job.jobresult.virtualmachine.id as string;
      await runJob(w, api, 'createTags', {
        resourceids: id,
        resourcetype: 'UserVm',
        'tags[0].key': 'tier',
        'tags[0].value': 'a "b" <c>',
      });
    }
    await insertVms(w, N, w.zones.advanced, 0);
    w.s.settings.responseCache = false;
    const origError = w.s.log.error.bind(w.s.log);
    w.s.log.error = ((obj: object, msg?: string) => {
      errors.push(msg ?? '');
      return origError(obj, msg);
    }) as typeof w.s.log.error;
    const limits = resolveConfig({}, {}).limits;
    const sink = { write: (line: string) => void logged.push(JSON.parse(line)) };
    // As the server has it: fastify logs nothing itself, the guards log each answer.
    const app = Fastify({ logger: false, ...serverOptions(limits) });
    registerHttpGuards(app, { ...limits, handlerTimeoutMs: 0 }, pino({ level: 'info' }, sink));
    registerCloudStackApi(app, w.s);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    stop = () => app.close();
  });
  after(async () => {
    await stop();
    await w?.close();
  });

  it('gives the same bytes as the answer built whole, in JSON and XML', async () => {
    for (const response of ['json', 'xml'] as const) {
      w.s.settings.streamListsOver = 0;
      const s = await fetch(fullList(response));
      const streamedText = await s.text();
      w.s.settings.streamListsOver = Infinity;
      const whole = await fetch(fullList(response));
      const wholeText = await whole.text();
      assert.equal(s.headers.get('transfer-encoding'), 'chunked', 'written as it is read');
      assert.equal(whole.headers.get('content-length'), String(Buffer.byteLength(wholeText)), 'built whole');
      assert.equal(s.status, 200);
      assert.equal(s.headers.get('content-type'), whole.headers.get('content-type'));
      assert.equal(streamedText.length, wholeText.length, response);
      assert.ok(streamedText === wholeText, `${response}: the two answers differ`);
    }
    const parsed = JSON.parse(await (await fetch(fullList('json'))).text()).listvirtualmachinesresponse;
    assert.equal(parsed.count, N + 2);
    assert.equal(parsed.virtualmachine.length, N + 2);
    assert.equal(parsed.virtualmachine.filter((v: { tags: unknown[] }) => v.tags.length).length, 2);
  });

  it('answers a failure found before the first byte with the CloudStack error and its status', async () => {
    w.s.settings.streamListsOver = 0;
    const vms = w.s.vms as { listChunks: VmService['listChunks'] };
    const real = vms.listChunks;
    vms.listChunks = async () => ({
      count: 5,
      chunks: (async function* (): AsyncGenerator<Vm[]> {
        throw new DomainError('InvalidParameter', 'the first chunk cannot be read');
      })(),
    });
    try {
      for (const response of ['json', 'xml'] as const) {
        const r = await fetch(fullList(response));
        const text = await r.text();
        assert.equal(r.status, 431, text);
        assert.match(text, /the first chunk cannot be read/);
        assert.match(text, response === 'json' ? /"errorcode":431/ : /<errorcode>431<\/errorcode>/);
      }
    } finally {
      vms.listChunks = real;
    }
  });

  it('reads no further than the client takes, and stops when the client goes away', async () => {
    w.s.settings.streamListsOver = 0;
    const vms = w.s.vms as { listChunks: VmService['listChunks'] };
    const real = vms.listChunks;
    await insertVms(w, MANY, w.zones.basic, N);
    let read = 0;
    let closed = false;
    vms.listChunks = async (...args) => {
      const { count, chunks } = await real.apply(w.s.vms, args);
      return {
        count,
        chunks: (async function* () {
          try {
            for await (const c of chunks) {
              read++;
              yield c;
            }
          } finally {
            closed = true;
          }
        })(),
      };
    };
    const before = logged.length;
    try {
      const req = http.get(fullList('json'));
      const res = await new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve));
      assert.equal(res.statusCode, 200);
      await new Promise((resolve) => res.once('data', resolve));
      res.pause();
      // The server stops once the socket's buffers are full: the count of chunks read settles.
      let last = -1;
      await until(async () => {
        const settled = read === last;
        last = read;
        await new Promise((r) => setTimeout(r, 150));
        return settled;
      }, 10_000);
      const total = Math.ceil((N + MANY + 2) / VM_CHUNK);
      assert.ok(read < total, `read ${read} of ${total} chunks for a client that took one piece`);
      assert.equal(closed, false);
      req.destroy();
      await until(() => closed, 5_000);
      assert.ok(read < total, 'no chunk read after the client left');
    } finally {
      vms.listChunks = real;
    }
    const r = await fetch(url({ command: 'listZones', response: 'json' }));
    assert.equal(r.status, 200, 'still serving');
    await r.text();
    assert.deepEqual(errors, []);
    assert.ok(
      logged.slice(before).some((l) => l.msg === 'request' && l.status === 200),
      'the answers were logged',
    );
    const loud = logged.slice(before).filter((l) => l.level >= 40 || (l.status ?? 0) >= 500);
    assert.deepEqual(loud, [], 'nothing logged as a warning, an error or a 500');
  });
});
