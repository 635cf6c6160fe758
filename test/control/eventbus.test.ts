import assert from 'node:assert/strict';
import amqp from 'amqplib';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';

const URL_ = process.env['POLYSTACK_TEST_AMQP'] ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Needs the RabbitMQ this project's machines run (127.0.0.1:5672); it fails, not skips, without one. */
describe('CloudStack-style events on RabbitMQ (--event-bus)', () => {
  let s: TestServer;
  let conn: amqp.ChannelModel;
  let ch: amqp.Channel;
  let queue: string;
  before(async () => {
    conn = await amqp.connect(URL_);
    ch = await conn.createChannel();
    await ch.assertExchange('cloudstack-events', 'topic', { durable: true });
    queue = (await ch.assertQueue('', { exclusive: true })).queue;
    await ch.bindQueue(queue, 'cloudstack-events', 'management-server.ActionEvent.#');
    s = await startServer({ args: ['--in-memory', '--event-bus', URL_] });
  });
  after(async () => {
    await s.stop();
    await conn.close();
  });

  it('publishes each action with CloudStack routing keys and JSON bodies', async () => {
    const cs = await httpLogin(s.endpoint);
    const kp = (await cs.call('createSSHKeyPair', { name: 'on-the-bus' })).body.keypair;
    const got = await new Promise<amqp.ConsumeMessage>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no message within 5 s')), 5000);
      void ch.consume(queue, (m) => {
        if (m && m.fields.routingKey.includes('REGISTER-SSH-KEYPAIR')) {
          clearTimeout(t);
          resolve(m);
        }
      });
    });
    assert.equal(got.fields.routingKey, `management-server.ActionEvent.REGISTER-SSH-KEYPAIR.SSHKeyPair.${kp.id}`);
    const body = JSON.parse(got.content.toString());
    assert.equal(body.event, 'REGISTER.SSH.KEYPAIR');
    assert.equal(body.entityuuid, kp.id);
  });
});
