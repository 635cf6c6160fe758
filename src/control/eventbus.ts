import amqp from 'amqplib';
import type { FeedService } from '../services/operations/feed.service.js';

export const EXCHANGE = 'cloudstack-events';

/**
 * Publishes what happens in the cloud to RabbitMQ as CloudStack's event bus does: a topic
 * exchange `cloudstack-events`, routing keys `management-server.ActionEvent.<TYPE>.<ResourceType>.<uuid>`
 * (dots in the event type become dashes), JSON bodies. Started with --event-bus amqp://...
 */
export async function startEventBus(
  url: string,
  feed: FeedService,
  now: () => number,
  log: (msg: string, err?: unknown) => void,
): Promise<() => Promise<void>> {
  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  await ch.assertExchange(EXCHANGE, 'topic', { durable: true });
  const read = feed.reader(now());
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        for (const item of await read()) {
          if (item.kind !== 'event') continue;
          const e = item.event;
          const key = [
            'management-server',
            'ActionEvent',
            e.type.replace(/\./g, '-'),
            e.resourceType ?? 'None',
            e.resourceId ?? 'none',
          ].join('.');
          const body = {
            eventDateTime: new Date(Number(e.created)).toISOString(),
            event: e.type,
            status: e.state,
            description: e.description,
            entity: e.resourceType,
            entityuuid: e.resourceId,
            account: e.accountId,
            user: e.userId,
            domain: e.domainId,
          };
          ch.publish(EXCHANGE, key, Buffer.from(JSON.stringify(body)), { contentType: 'application/json' });
        }
      } catch (err) {
        log('event bus: publishing failed', err);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return async () => {
    running = false;
    await loop;
    await ch.close();
    await conn.close();
  };
}
