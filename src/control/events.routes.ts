import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../domain/clock.js';
import type { Services } from '../services/services.js';
import { FeedService, type FeedItem } from '../services/operations/feed.service.js';
import { isRootAdmin } from '../domain/caller.js';
import { scopeAccounts } from '../services/identity/scope.js';
import { allowControl, denyControl, sessionCaller, sessionKeyOf } from './auth.js';

/** What a feed item looks like on the wire: CloudStack-style event fields, or a job's outcome. */
function wire(i: FeedItem): { type: string; data: object } {
  if (i.kind === 'event') {
    const e = i.event;
    return {
      type: 'event',
      data: {
        id: e.id,
        type: e.type,
        level: e.level,
        description: e.description,
        resourceType: e.resourceType,
        resourceId: e.resourceId,
        accountId: e.accountId,
        created: new Date(Number(e.created)).toISOString(),
      },
    };
  }
  const j = i.job;
  return {
    type: 'job',
    data: {
      jobId: j.id,
      cmd: j.cmd,
      status: j.status === 1 ? 'succeeded' : j.status === 2 ? 'failed' : 'cancelled',
      instanceType: j.instanceType,
      instanceId: j.instanceId,
      accountId: j.accountId,
      completed: new Date(Number(j.completed)).toISOString(),
    },
  };
}

const accountOf = (i: FeedItem): string | null => (i.kind === 'event' ? i.event.accountId : i.job.accountId);

/** Which items a reader may see: all (control credentials, root admin), or those of the accounts a console session may list. */
async function visibility(
  services: Services,
  controlToken: string | undefined,
  req: FastifyRequest,
): Promise<((i: FeedItem) => boolean) | undefined> {
  if (await allowControl(services, controlToken, req)) return () => true;
  const caller = await sessionCaller(services, req);
  if (!caller) return undefined;
  if (isRootAdmin(caller)) return () => true;
  const accounts = new Set(await scopeAccounts(services.store.db, caller, { listAll: true }));
  return (i) => accounts.has(accountOf(i) ?? '');
}

/**
 * GET /_polystack/events: server-sent events of what happens in the cloud (events and finished
 * jobs) from the moment of connecting, or from `?since=<ISO time>`. A console session
 * (`?sessionkey=`) sees its own accounts' items, and the stream ends when the session does.
 */
export function registerEvents(
  app: FastifyInstance,
  services: Services,
  o: { clock: Clock; controlToken?: string; pollMs?: number },
): void {
  const feed = new FeedService(services.store);
  // Streams never end by themselves: close them before the server waits for its connections.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.get('/_polystack/events', async (req, res) => {
    const visible = await visibility(services, o.controlToken, req);
    if (!visible) return denyControl(res);
    const session = req.headers.authorization ? undefined : sessionKeyOf(req);
    const since = (req.query as { since?: string }).since;
    const read = feed.reader(since ? Date.parse(since) : o.clock.now());
    res.hijack();
    res.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    // A HEAD has no body to stream, and Node holds its head back until the response ends.
    if (req.method === 'HEAD') return void res.raw.end();
    res.raw.write(': polystack events\n\n');
    let open = true;
    req.raw.on('close', () => (open = false));
    while (open && !closing) {
      // A logged-out or expired session stops receiving at its next poll (one indexed read): nothing that
      // happens after the logout reaches it.
      if (session && !(await services.accounts.sessionLive(session))) break;
      for (const item of (await read()).filter(visible)) {
        const { type, data } = wire(item);
        res.raw.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
      }
      await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
    }
    res.raw.end();
  });
}
