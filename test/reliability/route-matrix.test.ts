import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startPolystack, type Polystack } from '../../src/server/app.js';
import { resolveConfig } from '../../src/server/config.js';
import { CsClient, sign, wire } from '../helpers/cs-client.js';
import { rfc3986, sigv4 } from '../helpers/ec2-sign.js';
import { createTenant, FrontClient, type Keys } from '../helpers/fronts.js';
import { ADMIN_API_KEY, ADMIN_SECRET_KEY } from '../helpers/server.js';
import { entryFor, MATRIX, ROLES, type Entry, type Role } from './route-matrix.js';

const CONTROL_TOKEN = 'route-matrix-control-token';

interface Principal {
  keys: Keys;
  username: string;
  password: string;
  /** Its GCE project: the account's name. */
  project: string;
  session: { key: string; jsession: string };
  gceToken: string;
}

interface Call {
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** One request by node:http, which sends any method fastify routes (TRACE, QUERY); an event stream is cut after its head. */
function send(base: string, method: string, c: Call): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${c.path}`,
      {
        method,
        headers: {
          ...c.headers,
          ...(c.body !== undefined ? { 'content-length': String(Buffer.byteLength(c.body)) } : {}),
        },
      },
      (res) => {
        const contentType = String(res.headers['content-type'] ?? '');
        if (contentType.startsWith('text/event-stream')) {
          res.destroy();
          return resolve({ status: res.statusCode!, contentType, text: '' });
        }
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (d: string) => (text += d))
          .on('end', () => resolve({ status: res.statusCode!, contentType, text }));
      },
    );
    req.on('error', reject);
    // A route that never answers is a finding too, not a hung test run.
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${c.path}: no answer in 10 s`)));
    req.end(c.body);
  });
}

/**
 * The class-level guard of route authorization: the server's own route list (fastify's onRoute,
 * every front and control path) is called as every role, and each answer must be the refusal or
 * acceptance route-matrix.ts declares. A route with no entry fails, so an unguarded endpoint
 * (GET /_polystack/seed once was) cannot ship unnoticed.
 */
for (const controlToken of [CONTROL_TOKEN, undefined])
  describe(`route table auth matrix (${controlToken ? 'with' : 'without'} a control token)`, () => {
    let p: Polystack;
    // Without a control token the fronts behave the same; the pass is for what the token used to open by its absence (/metrics).
    const checked = (e: Entry) => !!controlToken || e.dialect === 'control' || e.dialect === 'open';
    // With no control token configured, a bearer token is just a wrong one.
    const accepts = (e: Entry, role: Role) =>
      e.accepts.includes(role) && !(role === 'token' && !controlToken && e.dialect === 'control');
    const principals = {} as Record<'user' | 'domainAdmin' | 'root', Principal>;

    before(async () => {
      const env = {
        POLYSTACK_AGENT_DELAY_MS: '0',
        POLYSTACK_ADMIN_API_KEY: ADMIN_API_KEY,
        POLYSTACK_ADMIN_SECRET_KEY: ADMIN_SECRET_KEY,
      };
      p = await startPolystack(resolveConfig({ inMemory: true, port: 0, controlToken }, env));
      const admin = new CsClient(`${p.url}/client/api`, ADMIN_API_KEY, ADMIN_SECRET_KEY);
      const user = await createTenant(admin, 'matrixuser');
      const da = await admin.call(
        'createAccount',
        {
          account: 'matrixdadmin',
          username: 'matrixdadmin',
          password: 'matrixdadmin-pw',
          email: 'd@example.com',
          firstname: 'd',
          lastname: 'a',
          accounttype: '2',
        },
        'POST',
      );
      assert.equal(da.status, 200, JSON.stringify(da.body));
      const daKeys = (await admin.call('registerUserKeys', { id: da.body.account.user[0].id }, 'POST')).body.userkeys;
      const principal = async (username: string, password: string, keys: Keys): Promise<Principal> => {
        const r = await fetch(`${p.url}/client/api`, {
          method: 'POST',
          body: new URLSearchParams({ command: 'login', username, password, response: 'json' }),
        });
        assert.equal(r.status, 200, `login ${username}`);
        const key = (await r.json()).loginresponse.sessionkey as string;
        const jsession = /JSESSIONID=([^;]+)/.exec(r.headers.getSetCookie().join(';'))![1]!;
        return {
          keys,
          username,
          password,
          project: username,
          session: { key, jsession },
          gceToken: await new FrontClient(p.url, keys).gceToken(),
        };
      };
      principals.user = await principal('matrixuser', 'matrixuser-pw', user);
      principals.domainAdmin = await principal('matrixdadmin', 'matrixdadmin-pw', {
        apiKey: daKeys.apikey,
        secretKey: daKeys.secretkey,
      });
      principals.root = await principal('admin', 'password', { apiKey: ADMIN_API_KEY, secretKey: ADMIN_SECRET_KEY });
    });
    after(() => p?.close());

    const who = (role: Role): { principal?: Principal; via?: 'own' | 'session' } => {
      const m = /^(user|domainAdmin|root)(Session)?$/.exec(role);
      return m ? { principal: principals[m[1] as keyof typeof principals], via: m[2] ? 'session' : 'own' } : {};
    };

    /** The request `role` makes to one route, credentials in the route's dialect. */
    function callOf(entry: Entry, method: string, url: string, role: Role): Call {
      const { principal, via } = who(role);
      const path = url
        .replace(':project', principal?.project ?? 'admin')
        .replace(/:\w+/g, 'matrix-none')
        .replace('*', 'matrix-none');
      const headers: Record<string, string> = { ...entry.headers };
      const query = new URLSearchParams();
      let body: string | undefined;
      if (role === 'token' || role === 'wrongToken')
        headers['authorization'] = `Bearer ${role === 'token' ? CONTROL_TOKEN : 'not-the-control-token'}`;
      if (via === 'session') query.set('sessionkey', principal!.session.key);
      const own = via === 'own' ? principal : undefined;
      const hasBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE'].includes(method);
      switch (entry.dialect) {
        case 'cloudstack': {
          let pairs: [string, string][] = [
            ['command', 'listZones'],
            ['response', 'json'],
          ];
          if (own) pairs = sign([...pairs, ['apiKey', own.keys.apiKey]], own.keys.secretKey);
          if (via === 'session') headers['cookie'] = `JSESSIONID=${principal!.session.jsession}`;
          if (method === 'POST') {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            body = wire(pairs);
          } else for (const [k, v] of pairs) query.append(k, v);
          break;
        }
        case 'ec2': {
          const params = { Action: 'DescribeRegions', Version: '2016-11-15' };
          if (method === 'POST') {
            body = new URLSearchParams(params).toString();
            Object.assign(
              headers,
              own
                ? sigv4(new URL(p.url), body, own.keys.apiKey, own.keys.secretKey)
                : { 'content-type': 'application/x-www-form-urlencoded' },
            );
          } else {
            for (const [k, v] of Object.entries(own ? sigv2Get(new URL(p.url).host, params, own.keys) : params))
              query.set(k, v);
          }
          break;
        }
        case 'gce':
          if (own) headers['authorization'] = `Bearer ${own.gceToken}`;
          if (hasBody) {
            headers['content-type'] = 'application/json';
            body = '{}';
          }
          break;
        case 'oauth':
          headers['content-type'] = 'application/x-www-form-urlencoded';
          body = new URLSearchParams({
            grant_type: 'client_credentials',
            ...(own ? { client_id: own.keys.apiKey, client_secret: own.keys.secretKey } : {}),
          }).toString();
          break;
        case 'control':
        case 'open':
          if (own)
            headers['authorization'] = `Basic ${Buffer.from(`${own.username}:${own.password}`).toString('base64')}`;
          if (hasBody) {
            headers['content-type'] = 'application/json';
            // Well-formed enough to pass the guard and harmless once past it: nothing is reset or loaded.
            body =
              { '/_polystack/reset': '{"account":"no-such-account"}', '/_polystack/state': 'not a snapshot' }[url] ??
              '{}';
          }
          break;
      }
      const q = query.toString();
      return { path: q ? `${path}?${q}` : path, headers, body };
    }

    /** Whether the answer is a refusal for credentials, in the dialect's own terms. */
    function refused(entry: Entry, a: Answer): boolean {
      if (a.status === 401 || a.status === 403) return true;
      return (
        entry.dialect === 'ec2' &&
        /<Code>(AuthFailure|SignatureDoesNotMatch|IncompleteSignature|MissingAuthenticationToken)<\/Code>/.test(a.text)
      );
    }

    it('every route the server answers has an entry, and every entry names a route', () => {
      const routes = p.routes.map((r) => `${r.method} ${r.url}`);
      assert.ok(routes.length > 100, `${routes.length} routes`);
      assert.deepEqual(
        p.routes.filter((r) => !entryFor(r.method, r.url)).map((r) => `${r.method} ${r.url}`),
        [],
        'routes missing from test/reliability/route-matrix.ts',
      );
      const served = new Set(p.routes.map((r) => `${r.method} ${r.url}`));
      const anyMethod = new Set(p.routes.map((r) => `* ${r.url}`));
      assert.deepEqual(
        Object.keys(MATRIX).filter((k) => !served.has(k) && !anyMethod.has(k)),
        [],
        'entries for routes the server does not have',
      );
    });

    it('every route, called as every role, refuses or accepts as declared (never a 5xx)', async () => {
      const wrong: string[] = [];
      let calls = 0;
      for (const { method, url } of p.routes) {
        const entry = entryFor(method, url);
        if (!entry || !checked(entry)) continue;
        for (const role of ROLES) {
          const a = await send(p.url, method, callOf(entry, method, url, role)).catch((e: Error) => e);
          calls++;
          if (a instanceof Error) {
            wrong.push(`${method} ${url} as ${role}: ${a.message}`);
            continue;
          }
          const got = refused(entry, a) ? 'refused' : a.status >= 500 ? `error ${a.status}` : 'accepted';
          const want = accepts(entry, role) ? 'accepted' : 'refused';
          if (got !== want)
            wrong.push(`${method} ${url} as ${role}: ${got} (${a.status} ${a.text.slice(0, 120)}), want ${want}`);
        }
      }
      assert.deepEqual(wrong, []);
      assert.ok(calls > (controlToken ? 1000 : 300), `${calls} calls`);
    });

    it('every exception to "credentials everywhere" says why', () => {
      const open = Object.entries(MATRIX).filter(([, e]) => e.accepts.includes('none'));
      assert.deepEqual(
        open.filter(([, e]) => !e.exception).map(([k]) => k),
        [],
      );
      assert.ok(open.length < 20, 'exceptions stay few');
    });
  });

/** A SigV2 (HmacSHA256) signed parameter set for a GET of `/`. */
function sigv2Get(host: string, params: Record<string, string>, k: Keys): Record<string, string> {
  const all: Record<string, string> = {
    ...params,
    AWSAccessKeyId: k.apiKey,
    SignatureVersion: '2',
    SignatureMethod: 'HmacSHA256',
    Timestamp: new Date().toISOString().replace(/\.\d{3}/, ''),
  };
  const canon = Object.keys(all)
    .sort()
    .map((x) => `${rfc3986(x)}=${rfc3986(all[x]!)}`)
    .join('&');
  return { ...all, Signature: createHmac('sha256', k.secretKey).update(`GET\n${host}\n/\n${canon}`).digest('base64') };
}
