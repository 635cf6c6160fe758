import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startPolystack, type Polystack } from '../../src/server/app.js';
import { defaultMaxConnections, openFileLimit } from '../../src/server/connections.js';
import { resolveConfig } from '../../src/server/config.js';
import { CsClient } from '../helpers/cs-client.js';
import { ADMIN_API_KEY, ADMIN_SECRET_KEY } from '../helpers/server.js';

const IDLE_MS = 500;
const CAP = 120;
const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;

interface Held {
  socket: Socket;
  /** ms after opening at which the server closed it, once it has. */
  closedAfter?: number;
  received: string;
}

/** Opens a connection that never sends a byte, and notes when the server closes it. */
function idle(port: number): Promise<Held> {
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    const socket = connect(port, '127.0.0.1');
    const held: Held = { socket, received: '' };
    socket.on('data', (d) => (held.received += d.toString()));
    socket.on('close', () => (held.closedAfter = Date.now() - opened));
    socket.once('connect', () => resolve(held));
    socket.once('error', (e) => (socket.connecting ? reject(e) : undefined));
  });
}

const until = async (cond: () => boolean | Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (!(await cond()) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

/**
 * Idle connections and the connection cap: a socket that never sends a byte is closed after the
 * idle timeout even with the request timeout off (before, it was held for ever), a slow answer is
 * not cut by it, and past POLYSTACK_MAX_CONNECTIONS a new connection is closed on arrival.
 */
describe('idle connections and the connection cap', () => {
  let p: Polystack;
  let port: number;
  const open = () => new Promise<number>((r) => p.app.server.getConnections((_e, n) => r(n)));

  before(async () => {
    p = await startPolystack(
      resolveConfig(
        { inMemory: true, port: 0 },
        {
          POLYSTACK_AGENT_DELAY_MS: '0',
          POLYSTACK_ADMIN_API_KEY: ADMIN_API_KEY,
          POLYSTACK_ADMIN_SECRET_KEY: ADMIN_SECRET_KEY,
          // Off, so that nothing but the idle timeout can be what closes a silent socket.
          POLYSTACK_REQUEST_TIMEOUT_MS: '0',
          POLYSTACK_IDLE_TIMEOUT_MS: String(IDLE_MS),
          POLYSTACK_MAX_CONNECTIONS: String(CAP),
        },
      ),
    );
    port = Number(new URL(p.url).port);
  });
  after(() => p?.close());

  it('sockets that never send a byte are held, then all closed soon after the idle timeout', async () => {
    const held = await Promise.all(Array.from({ length: 100 }, () => idle(port)));
    // The client's connect comes before the server's accept: wait for the server to hold them all.
    assert.ok(await until(async () => (await open()) === 100, 1000), `server holds ${await open()}`);
    assert.ok(
      await until(() => held.every((h) => h.closedAfter !== undefined), 5000),
      `${held.filter((h) => h.closedAfter === undefined).length} still open`,
    );
    const after = held.map((h) => h.closedAfter!).sort((a, b) => a - b);
    assert.ok(after[0]! >= IDLE_MS - 50, `first closed after ${after[0]} ms`);
    assert.ok(after.at(-1)! < IDLE_MS + 2000, `last closed after ${after.at(-1)} ms`);
    assert.deepEqual(
      held.filter((h) => h.received).map((h) => h.received),
      [],
      'closed without an answer: there was no request',
    );
    assert.equal(await open(), 0);
  });

  it('an answer slower than the idle timeout still arrives (the server, not the client, is the one working)', async () => {
    const fault = await fetch(`${p.url}/_polystack/faults`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json' },
      body: JSON.stringify({
        front: 'cloudstack',
        operation: 'listZones',
        effect: 'delay',
        delayMs: IDLE_MS * 3,
        count: 1,
      }),
    });
    assert.equal(fault.status, 201);
    const started = Date.now();
    const r = await new CsClient(`${p.url}/client/api`, ADMIN_API_KEY, ADMIN_SECRET_KEY).call('listZones');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - started >= IDLE_MS * 3 - 50);
  });

  it('past the cap a new connection is closed on arrival; once idle ones are reclaimed, requests are served again', async () => {
    const held = await Promise.all(Array.from({ length: CAP }, () => idle(port)));
    assert.ok(await until(async () => (await open()) === CAP, 1000), `server holds ${await open()}`);
    const extra = await idle(port).catch(() => undefined);
    assert.ok(
      !extra || (await until(() => extra.closedAfter !== undefined, 300)),
      'the connection over the cap is closed at once',
    );
    assert.equal(extra?.received ?? '', '');
    // A request on a new connection (not one of fetch's kept-alive ones) gets no answer over the cap.
    const asking = await idle(port).catch(() => undefined);
    asking?.socket.write('GET /_polystack/health HTTP/1.1\r\nHost: x\r\n\r\n', () => undefined);
    assert.ok(!asking || (await until(() => asking.closedAfter !== undefined, 300)));
    assert.equal(asking?.received ?? '', '', 'no request is served over the cap');
    assert.ok(await until(() => held.every((h) => h.closedAfter !== undefined), 5000));
    assert.equal((await fetch(`${p.url}/_polystack/health`)).status, 200);
    const metrics = await (await fetch(`${p.url}/metrics`, { headers: { authorization: BASIC } })).text();
    assert.ok(
      Number(/^polystack_http_connections_refused_total (\d+)/m.exec(metrics)?.[1]) >= 2,
      'refusals are counted',
    );
    assert.match(metrics, /^polystack_http_connections_open \d+/m);
  });

  it('the default cap stays below the open-file limit', () => {
    assert.equal(
      openFileLimit(() => 'Max open files            1024                 1048576              files\n'),
      1024,
    );
    assert.equal(defaultMaxConnections(1024), 768);
    assert.equal(defaultMaxConnections(1_048_576), 10_000);
    assert.equal(defaultMaxConnections(undefined), 10_000);
    assert.equal(
      openFileLimit(() => 'Max open files            unlimited            unlimited            files\n'),
      undefined,
    );
  });
});
