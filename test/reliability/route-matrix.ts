import { ROUTES as GCE_ROUTES } from '../../src/gce/routes.js';

/**
 * Who may call each route the server answers. test/reliability/route-matrix.test.ts reads the
 * route list from the running server and calls every route as every role; a route missing
 * here fails that test, so a new route cannot ship without a decision about who may call it.
 */

/** The credentials a request carries. */
export type Role =
  | 'none'
  /** A plain user's own credentials in the route's dialect (keys, token, HTTP Basic). */
  | 'user'
  /** The plain user's console session (`?sessionkey=`, and JSESSIONID on the CloudStack API). */
  | 'userSession'
  /** A domain admin of ROOT: the strongest account that is not a root admin. */
  | 'domainAdmin'
  | 'domainAdminSession'
  | 'root'
  | 'rootSession'
  /** `Authorization: Bearer <control token>`. */
  | 'token'
  | 'wrongToken';

export const ROLES: readonly Role[] = [
  'none',
  'user',
  'userSession',
  'domainAdmin',
  'domainAdminSession',
  'root',
  'rootSession',
  'token',
  'wrongToken',
];

/** How a route takes credentials, and so how the test presents each role's. */
export type Dialect = 'cloudstack' | 'ec2' | 'gce' | 'oauth' | 'control' | 'open';

export interface Entry {
  dialect: Dialect;
  /** The roles the route serves; every other role must be refused. */
  accepts: readonly Role[];
  /** Why a route is open to anyone (the guide: every route but health and ready needs credentials). */
  exception?: string;
  /** Headers a well-formed call needs whoever sends it (the GCE metadata server's Metadata-Flavor). */
  headers?: Record<string, string>;
}

const KEYS: readonly Role[] = ['user', 'domainAdmin', 'root'];
const ANYONE = ROLES;
/** CloudStack: key pairs, or a console session (session key with its JSESSIONID). */
const CLOUDSTACK: Entry = {
  dialect: 'cloudstack',
  accepts: [...KEYS, 'userSession', 'domainAdminSession', 'rootSession'],
};
/** EC2 and GCE: a user's key pair signs (EC2) or buys a token (GCE); a console session or the control token is not a credential there. */
const EC2: Entry = { dialect: 'ec2', accepts: KEYS };
const GCE: Entry = { dialect: 'gce', accepts: KEYS };
/** The token endpoint: the client id and secret in the request are the user's key pair. */
const OAUTH: Entry = { dialect: 'oauth', accepts: KEYS };
/** polystack's own endpoints: a root admin (HTTP Basic or console session) or the control token. */
const CONTROL: Entry = { dialect: 'control', accepts: ['root', 'rootSession', 'token'] };
const open = (exception: string, headers?: Record<string, string>): Entry => ({
  dialect: 'open',
  accepts: ANYONE,
  exception,
  headers,
});

const HEALTH = open("health and readiness probes (the guide's two exceptions)");
const CONSOLE = open(
  "the web console's static files and login page: no data, CloudStack serves its UI at /client/ without a session",
);
const DISCOVERY = open(
  'the Compute Engine discovery document: public at Google too, clients read it before they hold a token',
);
const IMDS = open(
  'instance metadata emulation: EC2 IMDS and CloudStack VR paths take no credentials on a real instance, and their clients cannot send any',
  {
    'x-aws-ec2-metadata-token-ttl-seconds': '60',
  },
);
const GCE_METADATA = open(
  'the GCE metadata server: no credentials on a real instance, only the Metadata-Flavor header',
  { 'metadata-flavor': 'Google' },
);

/** Key: `METHOD url` as fastify reports it; `*` as the method matches any. HEAD is served by the GET handler and checked with the GET entry. */
export const MATRIX: Record<string, Entry> = {
  'GET /_polystack/health': HEALTH,
  'GET /_polystack/ready': HEALTH,
  'GET /metrics': CONTROL,
  'GET /_polystack/clock': CONTROL,
  'POST /_polystack/clock': CONTROL,
  'POST /_polystack/reset': CONTROL,
  'GET /_polystack/state': CONTROL,
  'POST /_polystack/state': CONTROL,
  'GET /_polystack/seed': CONTROL,
  // Any user may fetch their own key pair (HTTP Basic with their password, or their console session); the control token gets the admin's.
  'GET /_polystack/credentials': {
    dialect: 'control',
    accepts: ['user', 'userSession', 'domainAdmin', 'domainAdminSession', 'root', 'rootSession', 'token'],
  },
  // Any user may have a GCE service-account key file made for their own key pair, as they may fetch the pair itself.
  'POST /_polystack/credentials/gce-key': {
    dialect: 'control',
    accepts: ['user', 'userSession', 'domainAdmin', 'domainAdminSession', 'root', 'rootSession', 'token'],
  },
  'PUT /_polystack/metadata/instance': CONTROL,
  'GET /_polystack/faults': CONTROL,
  'POST /_polystack/faults': CONTROL,
  'DELETE /_polystack/faults': CONTROL,
  'DELETE /_polystack/faults/:id': CONTROL,
  // Any console session may follow its own accounts' events (the stream is filtered by what it may list).
  'GET /_polystack/events': { dialect: 'control', accepts: [...CONTROL.accepts, 'userSession', 'domainAdminSession'] },
  // Derived names only (EC2 ids and GCE names of the ids and names sent): any console session, as the events stream.
  'POST /_polystack/front-ids': {
    dialect: 'control',
    accepts: [...CONTROL.accepts, 'userSession', 'domainAdminSession'],
  },
  'GET /client/api': CLOUDSTACK,
  'POST /client/api': CLOUDSTACK,
  'GET /client': CONSOLE,
  'GET /client/*': CONSOLE,
  'GET /': EC2,
  'POST /': EC2,
  'PUT /_polystack/instances/:id/latest/api/token': IMDS,
  'PUT /latest/api/token': IMDS,
  'GET /_polystack/instances/:id/latest/*': IMDS,
  // The root-level paths answer only as the instance a control caller chose (PUT /_polystack/metadata/instance).
  'GET /latest/*': IMDS,
  'GET /_polystack/instances/:id/computeMetadata/v1/*': GCE_METADATA,
  'GET /computeMetadata/v1/*': GCE_METADATA,
  'POST /oauth2/token': OAUTH,
  'POST /token': OAUTH,
  'POST /oauth2/v4/token': OAUTH,
  'POST /o/oauth2/token': OAUTH,
  // The GCE front's own key-file route (gateways too): the caller's key pair as an OAuth client's id and secret.
  'POST /_polystack/gce/service-account-keys': OAUTH,
  // Grants a code bound to the client id it names; the code buys a token only with that client's secret.
  'GET /oauth2/auth': open(
    'the OAuth consent step: it hands out a code that is worthless without the client secret at /token',
  ),
  'GET /o/oauth2/auth': open(
    "Google's legacy path of the consent step (libcloud 3.x): the same code, worthless without the client secret",
  ),
  'GET /discovery/v1/apis/compute/v1/rest': DISCOVERY,
  'GET /compute/v1/rest': DISCOVERY,
  '* /compute/v1/*': open("Google's 404 for a path no method has: it names nothing that exists"),
  // Every Compute Engine method goes through the one router that resolves the bearer token first (src/gce/router.ts).
  ...Object.fromEntries(GCE_ROUTES.map((r) => [`${r.method} /compute/v1/${r.path.replace(/\{(\w+)\}/g, ':$1')}`, GCE])),
};

export function entryFor(method: string, url: string): Entry | undefined {
  return MATRIX[`${method === 'HEAD' ? 'GET' : method} ${url}`] ?? MATRIX[`* ${url}`];
}
