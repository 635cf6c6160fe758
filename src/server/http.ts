import { randomUUID } from 'node:crypto';
import type { ServerOptions } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Limits } from './config.js';
import { frontOf, operationOf, refusal, type Front, type RefusalKind } from './fronts.js';
import { HEADER_VALUE_MAX, headerText } from '../http/headers.js';

/**
 * Fields that hold secrets, wherever a log call puts them. Request logs carry the path and never
 * the query string or body, where signatures, keys, passwords and tokens travel; this list is the
 * second line, for objects a log call passes on.
 */
const SECRET_FIELDS = [
  'password',
  'secretkey',
  'secretKey',
  'apikey',
  'apiKey',
  'sessionkey',
  'sessionKey',
  'signature',
  'Signature',
  'authorization',
  'token',
  'access_token',
  'refresh_token',
  'client_secret',
  'cookie',
];

/**
 * The process logger: JSON lines on stderr. A line written for a request names it (`reqId`) itself: an
 * AsyncLocalStorage would supply it, but on Node 20 that tracks every promise of the process (a page of
 * 500 VMs: 19 % more CPU, bench/profile-list.ts).
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      redact: { paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`)], censor: '[redacted]' },
    },
    pino.destination(2),
  );
}

/** A caller's X-Request-Id is kept when it is a plain token; anything else gets a fresh id. */
const genReqId = (req: { headers: Record<string, string | string[] | undefined> }): string => {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
};

/** Fastify's options for the limits: body size, time to receive a request, keep-alive. */
export function serverOptions(limits: Limits): Pick<
  FastifyServerOptions,
  'bodyLimit' | 'requestTimeout' | 'keepAliveTimeout' | 'genReqId' | 'frameworkErrors'
> & {
  http: ServerOptions;
} {
  const receive = limits.requestTimeoutMs;
  return {
    bodyLimit: limits.bodyBytes,
    requestTimeout: receive,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    genReqId,
    // A path fastify cannot decode (a malformed percent-escape) is refused before routing: in the front's own error shape, not fastify's.
    frameworkErrors: (err, req, res) => void send(req, res, 'badRequest', err.message),
    // Node looks for overdue requests every connectionsCheckingInterval (30 s by default): often enough for the limit to hold.
    http:
      receive > 0
        ? {
            headersTimeout: Math.min(60_000, receive),
            connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(receive / 2))),
          }
        : {},
  };
}

function send(req: FastifyRequest, res: FastifyReply, kind: RefusalKind, detail: string) {
  const r = refusal(frontOf(req.url), kind, req, detail);
  return res.status(r.status).type(r.contentType).send(r.body);
}

const paramCount = (req: FastifyRequest): number => {
  const q = req.url.indexOf('?');
  let n = q >= 0 ? [...new URLSearchParams(req.url.slice(q + 1)).keys()].length : 0;
  const type = String(req.headers['content-type'] ?? '');
  if (
    typeof req.body === 'string' &&
    (type.startsWith('application/x-www-form-urlencoded') || frontOf(req.url) !== 'gce')
  )
    n += [...new URLSearchParams(req.body).keys()].length;
  return n;
};

/**
 * What every request goes through whichever front answers it: its id (X-Request-Id, and the
 * `reqId` of every log line written for it), the parameter limit, the handler deadline,
 * and refusals in the front's own shape for what fastify itself rejects (an oversized body).
 */
export function registerHttpGuards(
  app: FastifyInstance,
  limits: Limits,
  log: Logger,
  observe?: (a: Answered) => void,
): void {
  app.addHook('onResponse', (req, res, done) => {
    const front = frontOf(req.url);
    const a: Answered = {
      front,
      operation: operationOf(front, req),
      status: res.statusCode,
      seconds: res.elapsedTime / 1000,
    };
    // The path only: query strings and bodies carry signatures, keys and passwords.
    const line = {
      reqId: req.id,
      method: req.method,
      path: req.url.split('?', 1)[0],
      front,
      operation: a.operation,
      status: a.status,
      ms: Math.round(res.elapsedTime),
    };
    if (a.status >= 500) log.warn(line, 'request failed');
    else log.info(line, 'request');
    observe?.(a);
    done();
  });
  app.addHook('onRequest', (req, res, done) => {
    res.header('X-Request-Id', req.id);
    done();
  });
  // The net under headerText: a header some handler built from input without it is cut here, and said so.
  app.addHook('onSend', (req, res, payload, done) => {
    for (const [name, value] of Object.entries(res.getHeaders())) {
      const values = ([] as unknown[]).concat(value);
      if (!values.some((v) => typeof v === 'string' && v.length > HEADER_VALUE_MAX)) continue;
      log.warn({ reqId: req.id, path: req.url.split('?', 1)[0], header: name }, 'response header cut to its bound');
      res.header(name, Array.isArray(value) ? values.map((v) => headerText(String(v))) : headerText(String(value)));
    }
    done(null, payload);
  });
  app.addHook('preHandler', (req, res, done) => {
    if (paramCount(req) > limits.maxParams) {
      void send(req, res, 'tooManyParams', `Request has more than ${limits.maxParams} parameters.`);
      return;
    }
    // The deadline runs from the end of the upload: receiving the request is requestTimeout's part.
    if (limits.handlerTimeoutMs > 0) {
      const timer = setTimeout(() => {
        if (res.sent) return;
        log.warn({ reqId: req.id, path: req.url.split('?', 1)[0], ms: limits.handlerTimeoutMs }, 'request timed out');
        // The work goes on; only the answer is given up. A late reply from the handler is dropped.
        void send(
          req,
          res,
          'timeout',
          `The request was not answered within ${limits.handlerTimeoutMs} ms; what it asked for may still happen.`,
        );
      }, limits.handlerTimeoutMs);
      res.raw.once('close', () => clearTimeout(timer));
    }
    done();
  });
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, req, res) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(req, res, 'tooLarge', tooLargeText(limits.bodyBytes));
    if ((err.statusCode ?? 500) < 500) return send(req, res, 'badRequest', err.message);
    log.error({ err, reqId: req.id, path: req.url.split('?', 1)[0] }, 'unexpected error');
    return send(req, res, 'internal', 'internal error');
  });
}

/** One answered request, for metrics. */
export interface Answered {
  front: Front;
  operation: string;
  status: number;
  seconds: number;
}

/** Google's text for an oversized payload; the other fronts use it too. */
export const tooLargeText = (limit: number) => `Request payload size exceeds the limit: ${limit} bytes.`;
