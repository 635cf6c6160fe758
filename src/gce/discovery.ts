import type { FastifyInstance } from 'fastify';
import type { Route } from './route.js';
import { PARTS, RESOURCES } from './schemas.js';

/**
 * `GET /discovery/v1/apis/compute/v1/rest`: a discovery document generated from the route table,
 * with `rootUrl` pointing at whoever was asked (polystack or the gateway), so discovery-based
 * clients (google-api-python-client 1.x) build their methods from it, as gstack's users did.
 * It describes exactly the methods this front serves, nothing more.
 */
const QUERY_TYPES: Record<string, Record<string, unknown>> = {
  filter: { type: 'string' },
  maxResults: { type: 'integer', format: 'uint32', minimum: '0', default: '500' },
  orderBy: { type: 'string' },
  pageToken: { type: 'string' },
  returnPartialSuccess: { type: 'boolean' },
  includeAllScopes: { type: 'boolean' },
  serviceProjectNumber: { type: 'string', format: 'int64' },
  requestId: { type: 'string' },
  port: { type: 'integer', format: 'int32', minimum: '1', maximum: '4', default: '1' },
  start: { type: 'string', format: 'int64' },
  discardLocalSsd: { type: 'boolean' },
  sourceImage: { type: 'string' },
  forceCreate: { type: 'boolean' },
  forceAttach: { type: 'boolean' },
  deviceName: { type: 'string', required: true },
  networkInterface: { type: 'string', required: true },
  accessConfig: { type: 'string', required: true },
  deletionProtection: { type: 'boolean', default: 'true' },
  guestFlush: { type: 'boolean' },
  withExtendedNotifications: { type: 'boolean' },
  sourceInstanceTemplate: { type: 'string' },
  sourceMachineImage: { type: 'string' },
  queryPath: { type: 'string' },
  variableKey: { type: 'string' },
  minimalAction: { type: 'string', enum: ['INVALID', 'NO_EFFECT', 'REFRESH', 'RESTART'] },
  mostDisruptiveAllowedAction: { type: 'string', enum: ['INVALID', 'NO_EFFECT', 'REFRESH', 'RESTART'] },
};

const SCOPES = ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/compute'];

function typeOf(t: string): Record<string, unknown> {
  if (t.startsWith('[')) return { type: 'array', items: typeOf(t.slice(1, -1)) };
  if (t.startsWith('{')) return { type: 'object', additionalProperties: typeOf(t.slice(1, -1)) };
  if (t === 'int64') return { type: 'string', format: 'int64' };
  if (t === 'integer') return { type: 'integer', format: 'int32' };
  if (t === 'number') return { type: 'number', format: 'double' };
  if (t === 'string' || t === 'boolean') return { type: t };
  return { $ref: t };
}

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);

function schemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const add = (id: string, props: Record<string, string>) => {
    out[id] = {
      id,
      type: 'object',
      properties: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, typeOf(v)])),
    };
  };
  for (const [id, props] of Object.entries(PARTS)) add(id, props);
  for (const [id, props] of Object.entries(RESOURCES)) {
    add(id, props);
    const collection = `${lowerFirst(id)}s`;
    add(`${id}List`, {
      kind: 'string',
      id: 'string',
      items: `[${id}]`,
      nextPageToken: 'string',
      selfLink: 'string',
      warning: 'Warning',
    });
    add(`${id}sScopedList`, { [collection]: `[${id}]`, warning: 'Warning' });
    add(`${id}AggregatedList`, {
      kind: 'string',
      id: 'string',
      items: `{${id}sScopedList}`,
      nextPageToken: 'string',
      selfLink: 'string',
      unreachables: '[string]',
    });
  }
  return out;
}

function method(r: Route): Record<string, unknown> {
  const pathParams = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const parameters: Record<string, unknown> = {};
  for (const p of pathParams)
    parameters[p] = { type: 'string', required: true, location: 'path', description: `Name of the ${p}.` };
  for (const q of r.query ?? []) parameters[q] = { ...(QUERY_TYPES[q] ?? { type: 'string' }), location: 'query' };
  const requiredQuery = (r.query ?? []).filter((q) => QUERY_TYPES[q]?.['required']);
  return {
    id: `compute.${r.id}`,
    path: r.path,
    flatPath: r.path,
    httpMethod: r.method,
    description: r.description,
    parameters,
    parameterOrder: [...pathParams, ...requiredQuery],
    ...(r.request ? { request: { $ref: r.request } } : {}),
    response: { $ref: r.response },
    scopes: SCOPES,
  };
}

export function discoveryDocument(routes: readonly Route[], rootUrl: string): Record<string, unknown> {
  const resources: Record<string, { methods: Record<string, unknown> }> = {};
  for (const r of routes) {
    const [resource, name] = r.id.split('.') as [string, string];
    (resources[resource] ??= { methods: {} }).methods[name] = method(r);
  }
  const std = (type: string, description: string, extra: Record<string, unknown> = {}) => ({
    type,
    description,
    location: 'query',
    ...extra,
  });
  return {
    kind: 'discovery#restDescription',
    discoveryVersion: 'v1',
    id: 'compute:v1',
    name: 'compute',
    version: 'v1',
    revision: '20240101',
    title: 'Compute Engine API (polystack)',
    description: 'Compute Engine v1 over CloudStack, as served by polystack.',
    ownerDomain: 'polystack',
    ownerName: 'polystack',
    protocol: 'rest',
    rootUrl,
    servicePath: 'compute/v1/',
    basePath: '/compute/v1/',
    baseUrl: `${rootUrl}compute/v1/`,
    batchPath: 'batch/compute/v1',
    parameters: {
      alt: std('string', 'Data format for the response.', {
        default: 'json',
        enum: ['json'],
        enumDescriptions: ['Responses with Content-Type of application/json'],
      }),
      fields: std('string', 'Selector specifying which fields to include in a partial response.'),
      key: std('string', 'API key.'),
      oauth_token: std('string', 'OAuth 2.0 token for the current user.'),
      prettyPrint: std('boolean', 'Returns response with indentations and line breaks.', { default: 'true' }),
      quotaUser: std('string', 'An opaque string that represents a user for quota purposes.'),
      userIp: std('string', 'Deprecated.'),
    },
    auth: { oauth2: { scopes: Object.fromEntries(SCOPES.map((s) => [s, { description: s }])) } },
    schemas: schemas(),
    resources,
  };
}

export function registerDiscovery(app: FastifyInstance, routes: readonly Route[]): void {
  const serve = async (req: { protocol: string; headers: { host?: string } }) =>
    discoveryDocument(routes, `${req.protocol}://${req.headers.host ?? 'localhost'}/`);
  app.get('/discovery/v1/apis/compute/v1/rest', serve);
  app.get('/compute/v1/rest', serve);
}
