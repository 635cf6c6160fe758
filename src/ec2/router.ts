import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CloudStackPort } from '../bridge/port.js';
import type { Clock } from '../domain/clock.js';
import { ACTIONS } from './actions/index.js';
import { verify } from './auth.js';
import type { Ec2Context } from './context.js';
import { Ec2Error, ec2Error } from './errors.js';
import { Ids } from './ids.js';
import { API_VERSION, operation } from './model.js';
import { formPairs } from './form.js';
import { decodeInput } from './query.js';
import { checkInputIds } from './wellformed.js';
import type { Ec2Store } from './store.js';
import { encodeError, encodeOutput } from './xml.js';

export interface Ec2Options {
  port: CloudStackPort;
  store: Ec2Store;
  clock: Clock;
  region?: string;
  /** Fault rules for the EC2 front (local mode); a gateway has none. */
  fault?: (
    action: string,
    accessKey: string,
  ) => Promise<{ effect: 'error'; status: number; message: string } | { effect: 'delay'; delayMs: number } | undefined>;
  log?: (msg: string, err: unknown, reqId: string) => void;
  /** api.throttling for the caller's account (local mode): undefined to go ahead, else ms to wait. */
  throttle?: (accessKey: string) => Promise<number | undefined>;
  /** Where a browser that opens `/` is sent (the web console, in local mode); EC2 clients never ask for HTML. */
  browserHome?: string;
}

const XML = 'text/xml;charset=UTF-8';

/** The query and form body, read the way the SigV4 check reads them (formPairs); the body wins a name both have. */
function params(req: FastifyRequest): { map: Map<string, string>; query: string; body: string } {
  const i = req.url.indexOf('?');
  const query = i >= 0 ? req.url.slice(i + 1) : '';
  const body = typeof req.body === 'string' ? req.body : '';
  return { map: new Map([...formPairs(query), ...formPairs(body)]), query, body };
}

/** The EC2 Query API at `/`: auth, model-driven decoding, the action, model-driven XML. */
export function registerEc2(app: FastifyInstance, o: Ec2Options): void {
  const ids = new Ids(o.store);
  const handler = async (req: FastifyRequest, res: FastifyReply) => {
    // The request id of the HTTP layer (X-Request-Id, the logs' reqId) is EC2's requestId too.
    const requestId = String(req.id || randomUUID());
    let action = '';
    res.header('x-amzn-RequestId', requestId).type(XML);
    try {
      const { map, query, body } = params(req);
      action = map.get('Action') ?? '';
      if (!action) throw ec2Error('MissingAction', 'The request must contain the parameter Action');
      const version = map.get('Version');
      // Older API versions (boto 2 sends 2014-10-01) are still served by EC2 with the same wire shapes for these actions.
      if (version && !(/^\d{4}-\d{2}-\d{2}$/.test(version) && version >= '2008-12-01' && version <= API_VERSION))
        throw new Ec2Error(
          'NoSuchVersion',
          `The requested version (${version}) of service AmazonEC2 does not exist`,
          400,
        );
      // Each occurrence of a header, as SigV4 joins them; fastify's inject (fuzzers, benchmarks) has no headersDistinct.
      const headers = (req.raw.headersDistinct as typeof req.raw.headersDistinct | undefined) ?? req.headers;
      const request = { method: req.method, path: req.url.split('?')[0] || '/', query, headers, body, params: map };
      const creds = await verify(request, o.clock.now(), (k) => o.port.secretOf(k));
      const op = operation(action);
      if (!op) throw ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`);
      const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
      if (!run) throw ec2Error('UnsupportedOperation', `The action ${action} is not supported by polystack yet.`);
      if ((await o.throttle?.(creds.accessKey)) !== undefined)
        throw ec2Error('RequestLimitExceeded', 'Request limit exceeded.');
      const fault = await o.fault?.(action, creds.accessKey);
      if (fault?.effect === 'delay') await o.clock.sleep(fault.delayMs);
      if (fault?.effect === 'error')
        throw new Ec2Error(
          fault.status >= 500 ? 'InternalError' : 'InvalidParameterValue',
          fault.message,
          fault.status,
        );
      const input = op.input ? decodeInput(op.input.shape, map) : {};
      checkInputIds(input, action);
      if (input['DryRun'] === true)
        throw ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
      const ctx: Ec2Context = {
        creds: { apiKey: creds.accessKey, secretKey: creds.secretKey },
        port: o.port,
        ids,
        store: o.store,
        clock: o.clock,
        region: o.region ?? 'us-east-1',
        requestId,
      };
      const out = await run(ctx, input);
      // Bytes, not text: fastify would measure a string's UTF-8 length and then encode it again (a page is ~300 KB).
      return res.status(200).send(Buffer.from(encodeOutput(action, op.output?.shape, out, requestId)));
    } catch (e) {
      if (e instanceof Ec2Error) return res.status(e.status).send(encodeError(e.code, e.message, requestId));
      o.log?.(`EC2 ${action} failed unexpectedly`, e, req.id);
      return res.status(500).send(encodeError('InternalError', 'An internal error has occurred', requestId));
    }
  };
  app.get('/', async (req, res) => {
    // A person typing the address gets the console, not the EC2 front's MissingAction XML.
    const browser = !req.url.includes('?') && String(req.headers.accept ?? '').includes('text/html');
    if (browser && o.browserHome) return res.redirect(o.browserHome, 302);
    return handler(req, res);
  });
  app.post('/', handler);
}
