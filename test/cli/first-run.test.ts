// The first minutes of a user: the start banner, the development key pair, `polystack env --url`,
// the data-directory lock and the error messages that say what to do.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli, startReady } from '../helpers/cli.js';
import { DEV_KEYS } from '../../src/server/config.js';
import { request } from '../helpers/cs-client.js';

// The runner's own keys would win over the development pair: every case here starts without them.
const NO_KEYS = { POLYSTACK_ADMIN_API_KEY: '', POLYSTACK_ADMIN_SECRET_KEY: '', POLYSTACK_AGENT_DELAY_MS: '0' };
const home = mkdtempSync(join(tmpdir(), 'polystack-first-run-'));
after(() => rmSync(home, { recursive: true, force: true }));

/** serve, with its whole stdout once the banner is out. */
async function serve(args: string[], env: Record<string, string> = {}) {
  const s = await startReady(['serve', '--port', '0', ...args], { env: { ...NO_KEYS, ...env } });
  return { ...s, out: s.output };
}

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const exportsOf = (stdout: string) =>
  Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));

describe('serve: the banner and the development key pair', () => {
  it(
    'an in-memory cloud prints the endpoints, the console login and the development pair, which signs CloudStack calls',
    { timeout: 90_000 },
    async () => {
      const s = await startReady(['serve', '--port', '0', '--in-memory'], { env: NO_KEYS });
      try {
        const out = s.output();
        for (const want of [
          `${s.url}/client `,
          `${s.url}/client/api`,
          `${s.url}/compute/v1/`,
          `${s.url}/token`,
          `${s.url}/_polystack/health`,
          'in memory',
          DEV_KEYS.apiKey,
          DEV_KEYS.secretKey,
          'admin / password',
        ])
          assert.ok(out.includes(want), `the banner lacks ${want}:\n${out}`);
        const r = await request(
          `${s.url}/client/api`,
          { command: 'listZones', response: 'json' },
          { sign: { apiKey: DEV_KEYS.apiKey, secret: DEV_KEYS.secretKey } },
        );
        assert.equal(r.status, 200);
        assert.equal(r.json.listzonesresponse.count, 2);
      } finally {
        await s.stop();
      }
    },
  );

  it(
    'a kept cloud gets no development pair unless --dev, and prints no secret; --quiet prints the ready line alone',
    { timeout: 90_000 },
    async () => {
      const data = join(home, 'kept');
      const s = await serve(['--data-dir', data, '--quiet']);
      try {
        assert.match(s.out(), /^polystack ready on http:\/\/\S+\n$/);
        const env = exportsOf((await runCli(['env', '--url', s.url])).stdout);
        assert.notEqual(env['CLOUDSTACK_KEY'], DEV_KEYS.apiKey);
        assert.match(env['CLOUDSTACK_KEY'] ?? '', /^[A-Za-z0-9_-]{86}$/);
      } finally {
        await s.stop();
      }
      const again = await serve(['--data-dir', data]);
      try {
        assert.ok(again.out().includes(`polystack env --url ${again.url}`), again.out());
        assert.ok(!again.out().includes(DEV_KEYS.secretKey));
        assert.ok(again.out().includes(join(data, 'polystack.db')), again.out());
      } finally {
        await again.stop();
      }
      const dev = await serve(['--data-dir', data, '--dev']);
      try {
        assert.ok(dev.out().includes(DEV_KEYS.secretKey), dev.out());
      } finally {
        await dev.stop();
      }
    },
  );
});

describe('polystack env --url', () => {
  it(
    'asks the running server and prints exports for CloudStack, AWS and GCE clients; wrong credentials and no server are clear errors',
    { timeout: 90_000 },
    async () => {
      const s = await serve(['--in-memory', '--quiet']);
      try {
        const all = await runCli([
          'env',
          '--url',
          s.url,
          '--cloudstack',
          '--aws',
          '--gce',
          '--gce-key-file',
          join(home, 'gce-key.json'),
        ]);
        assert.equal(all.code, 0, all.stderr);
        const env = exportsOf(all.stdout);
        assert.equal(env['CLOUDSTACK_ENDPOINT'], `${s.url}/client/api`);
        assert.equal(env['CLOUDSTACK_KEY'], DEV_KEYS.apiKey);
        assert.equal(env['AWS_ACCESS_KEY_ID'], DEV_KEYS.apiKey);
        assert.equal(env['AWS_SECRET_ACCESS_KEY'], DEV_KEYS.secretKey);
        assert.equal(env['AWS_ENDPOINT_URL'], s.url);
        assert.equal(env['AWS_DEFAULT_REGION'], 'us-east-1');
        assert.equal(env['CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE'], `${s.url}/compute/v1/`);
        assert.equal(env['GOOGLE_CLOUD_PROJECT'], 'admin');
        assert.equal(env['GOOGLE_APPLICATION_CREDENTIALS'], join(home, 'gce-key.json'));
        // The exports work unchanged: the AWS CLI reads them (AWS_ENDPOINT_URL since awscli 2.13; given explicitly for Debian's 2.9).
        const aws = await runCli(
          ['ec2', 'describe-availability-zones', '--endpoint-url', env['AWS_ENDPOINT_URL']!, '--output', 'json'],
          { command: ['aws'], env: { ...env, HOME: home } },
        );
        assert.equal(aws.code, 0, aws.stderr);
        assert.ok(JSON.parse(aws.stdout).AvailabilityZones.length >= 2);
        const only = exportsOf((await runCli(['env', '--url', s.url])).stdout);
        assert.deepEqual(Object.keys(only).sort(), ['CLOUDSTACK_ENDPOINT', 'CLOUDSTACK_KEY', 'CLOUDSTACK_SECRET']);
        const wrong = await runCli(['env', '--url', s.url, '--password', 'nope']);
        assert.equal(wrong.code, 1);
        assert.match(wrong.stderr, /refused the credentials request \(401\)/);
      } finally {
        await s.stop();
      }
      const gone = await runCli(['env', '--url', s.url]);
      assert.equal(gone.code, 1);
      assert.ok(gone.stderr.includes(`cannot reach ${s.url}`), gone.stderr);
      assert.match(gone.stderr, /ECONNREFUSED.*polystack serve/);
    },
  );
});

describe('one server per data directory', () => {
  it(
    'a second serve on the same directory is refused with what to do; the directory is free again after the first stops, or after it was killed',
    { timeout: 120_000 },
    async () => {
      const data = join(home, 'locked');
      const first = await serve(['--data-dir', data, '--quiet']);
      try {
        const second = await runCli(['serve', '--port', '0', '--data-dir', data], { env: NO_KEYS });
        assert.equal(second.code, 1);
        assert.match(
          second.stderr,
          new RegExp(`data directory ${data.replace(/[/.]/g, '\\$&')} is in use by another polystack \\(pid \\d+\\)`),
        );
        assert.match(second.stderr, /--data-dir/);
      } finally {
        await first.stop();
      }
      const killed = await serve(['--data-dir', data, '--quiet']);
      process.kill(-killed.child.pid!, 'SIGKILL');
      await new Promise((r) => killed.child.once('exit', r));
      const after = await serve(['--data-dir', data, '--quiet']);
      await after.stop();
    },
  );
});

describe('errors that say what to do', () => {
  it('a port in use names the port and the flag', { timeout: 60_000 }, async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['serve', '--port', String(port), '--in-memory'], { env: NO_KEYS });
      assert.equal(r.code, 1);
      assert.ok(r.stderr.includes(`port ${port} on 127.0.0.1 is already in use`), r.stderr);
      assert.match(r.stderr, /--port/);
    } finally {
      blocker.close();
    }
  });

  it('a control command names the URL it could not reach', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await runCli(['reset', '--url', url]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`cannot reach ${url} (ECONNREFUSED)`), r.stderr);
  });

  it('a datacenter deploy aimed at nothing names the endpoint', async () => {
    const file = fileURLToPath(new URL('../../specs/cloudstack/marvin/advanced.cfg', import.meta.url));
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await runCli(['datacenter', 'deploy', file, '--url', url, '--api-key', 'k', '--secret-key', 's']);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`cannot reach ${url}/client/api (ECONNREFUSED)`), r.stderr);
  });
});

describe('the banner in the docs', () => {
  it('is what serve prints for a kept cloud on port 8080', async () => {
    const { banner } = await import('../../src/cli/banner.js');
    const { resolveConfig } = await import('../../src/server/config.js');
    const { readFileSync } = await import('node:fs');
    const page = readFileSync(fileURLToPath(new URL('../../docs/getting-started.md', import.meta.url)), 'utf8');
    const shown = /```text\n(polystack ready on [^\n]+\n[\s\S]*?)```/.exec(page)?.[1];
    const url = 'http://127.0.0.1:8080';
    const config = resolveConfig({ dataDir: '/home/you/.polystack' }, {});
    assert.equal(shown, `polystack ready on ${url}\n${banner(config, url)}`);
  });
});

describe('hand-written files: the file, the line and the key', () => {
  const write = (name: string, text: string) => {
    const f = join(home, name);
    writeFileSync(f, text);
    return f;
  };

  it(
    'a seed manifest with a misspelt key, a wrong value or bad JSON is refused at start with where it is',
    { timeout: 60_000 },
    async () => {
      const cases: [string, string, RegExp][] = [
        [
          'typo.yaml',
          'accounts:\n  - name: alice\n    user:\n      - { username: alice, password: pw }\n',
          /typo\.yaml:2: seed manifest: accounts\[0\] lacks the key "users"/,
        ],
        [
          'extra.yaml',
          'accounts:\n  - name: alice\n    users:\n      - username: alice\n        password: pw\n        pasword: x\n',
          /extra\.yaml:6: seed manifest: accounts\[0\]\.users\[0\]\.pasword is not a key polystack knows here; the keys are username, password/,
        ],
        [
          'value.yaml',
          'vms:\n  - name: web\n    zone: z\n    template: t\n    offering: o\n    start: maybe\n',
          /value\.yaml:6: seed manifest: vms\[0\]\.start should be a boolean, not string "maybe"/,
        ],
        [
          'bad.json',
          '{\n  "accounts": [\n    { "name": "a", }\n  ]\n}\n',
          /bad\.json:3: the seed manifest is not valid JSON/,
        ],
      ];
      for (const [name, text, want] of cases) {
        const r = await runCli(['serve', '--port', '0', '--in-memory', '--seed', write(name, text)], { env: NO_KEYS });
        assert.equal(r.code, 1, name);
        assert.match(r.stderr, want);
      }
    },
  );

  it('a Marvin config with a missing key or bad JSON is refused by datacenter deploy before any call', async () => {
    const noName = write(
      'noname.cfg',
      '# a comment line\n{\n  "zones": [\n    { "networktype": "Advanced", "pods": [] }\n  ]\n}\n',
    );
    const r = await runCli([
      'datacenter',
      'deploy',
      noName,
      '--url',
      'http://127.0.0.1:1',
      '--api-key',
      'k',
      '--secret-key',
      's',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /noname\.cfg:4: Marvin data-center config: zones\[0\] lacks the key "name"/);
    const broken = write(
      'broken.cfg',
      '# licence\n# header\n{\n  "zones": [\n    { "name": "z" "networktype": "Basic" }\n  ]\n}\n',
    );
    const b = await runCli([
      'datacenter',
      'deploy',
      broken,
      '--url',
      'http://127.0.0.1:1',
      '--api-key',
      'k',
      '--secret-key',
      's',
    ]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /broken\.cfg:5: the Marvin data-center config is not valid JSON/);
  });
});
