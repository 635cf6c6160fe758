import type { FastifyRequest } from 'fastify';
import { COMMANDS } from '../cloudstack/commands/index.js';
import { encodeJson, encodeXml, errorBody, JSON_TYPE, XML_TYPE } from '../cloudstack/encode.js';
import { CsError } from '../cloudstack/errors.js';
import { operation } from '../ec2/model.js';
import { encodeError } from '../ec2/xml.js';
import { GceError } from '../gce/errors.js';

/** Which protocol a request speaks, from its path alone (the body may not have been read). */
export type Front = 'cloudstack' | 'ec2' | 'gce' | 'polystack';

export function frontOf(url: string): Front {
  const path = url.split('?', 1)[0]!;
  if (path === '/client/api') return 'cloudstack';
  if (path === '/' || path === '') return 'ec2';
  if (
    path.startsWith('/compute/') ||
    path === '/token' ||
    path.startsWith('/oauth2/') ||
    path.startsWith('/discovery/')
  )
    return 'gce';
  return 'polystack';
}

/** Refusals the HTTP layer makes before (or instead of) a front's own answer. */
export type RefusalKind = 'tooLarge' | 'tooManyParams' | 'timeout' | 'badRequest' | 'internal';

export interface Refusal {
  status: number;
  contentType: string;
  body: string;
}

const queryOf = (url: string) => new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');

/**
 * Each front's own shape for these refusals. None has a wire code for an oversized request or a
 * server-side deadline, so the codes are polystack's (GAPS.md of each front says so); throttling
 * is answered by the fronts themselves, with the account known.
 */
export function refusal(front: Front, kind: RefusalKind, req: FastifyRequest, detail: string): Refusal {
  switch (front) {
    case 'cloudstack': {
      const e = {
        tooLarge: () => new CsError(413, detail, 9999),
        tooManyParams: () => new CsError(413, detail, 9999),
        timeout: () => new CsError(534, detail, 4560),
        badRequest: () => new CsError(431, detail, 9999),
        internal: () =>
          new CsError(530, 'Internal error executing command, please contact your system administrator', 4250),
      }[kind]();
      const json = queryOf(req.url).get('response')?.toLowerCase() === 'json';
      return {
        status: e.errorcode,
        contentType: json ? JSON_TYPE : XML_TYPE,
        body: (json ? encodeJson : encodeXml)('errorresponse', errorBody(e)),
      };
    }
    case 'ec2': {
      const [code, status, message] = {
        tooLarge: ['RequestEntityTooLarge', 413, detail],
        tooManyParams: ['RequestEntityTooLarge', 413, detail],
        timeout: ['Unavailable', 503, 'The service is unavailable. Please try again shortly.'],
        badRequest: ['InvalidParameterValue', 400, detail],
        internal: ['InternalError', 500, 'An internal error has occurred'],
      }[kind] as [string, number, string];
      return { status, contentType: 'text/xml;charset=UTF-8', body: encodeError(code, message, String(req.id)) };
    }
    case 'gce': {
      const e = {
        tooLarge: () => new GceError(400, 'badRequest', detail),
        tooManyParams: () => new GceError(400, 'badRequest', detail),
        timeout: () => new GceError(503, 'backendError', 'The service is currently unavailable.'),
        badRequest: () => new GceError(400, 'badRequest', detail),
        internal: () =>
          new GceError(500, 'backendError', 'Internal error. Please try again or contact Google Support.'),
      }[kind]();
      return { status: e.code, contentType: 'application/json; charset=UTF-8', body: JSON.stringify(e.body()) };
    }
    default: {
      const status = { tooLarge: 413, tooManyParams: 413, timeout: 503, badRequest: 400, internal: 500 }[kind];
      return {
        status,
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({ error: { code: status, message: detail } }),
      };
    }
  }
}

/** The operation a request names, bounded to names polystack knows (a metrics label, a log field). */
export function operationOf(front: Front, req: FastifyRequest): string {
  if (front === 'gce' || front === 'polystack') {
    const config = req.routeOptions?.config as { operation?: string } | undefined;
    return config?.operation ?? (req.routeOptions?.url ? `${req.method} ${req.routeOptions.url}` : 'unknown');
  }
  const params = queryOf(req.url);
  const body = typeof req.body === 'string' && req.body.length < 1_000_000 ? new URLSearchParams(req.body) : undefined;
  const pick = (name: string) => params.get(name) ?? body?.get(name) ?? undefined;
  if (front === 'cloudstack') {
    const command = pick('command');
    return (command && COMMANDS.get(command.toLowerCase())?.name) ?? 'unknown';
  }
  const action = pick('Action');
  return action && operation(action) ? action : 'unknown';
}
