import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli, startReady } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/**
 * better-sqlite3's install downloads its prebuilt binary from GitHub, as a user's would; this machine
 * reaches only npm's registry, so it compiled SQLite instead (most of this file's two minutes). The
 * binary this checkout already has, packed as the release asset prebuild-install looks for, is found
 * the way a downloaded one is. A version npm resolves differently misses it and compiles, as before.
 */
function localPrebuild(dir: string): Record<string, string> {
  const pkgDir = join(ROOT, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const prebuilds = join(dir, 'prebuilds');
  mkdirSync(prebuilds, { recursive: true });
  const asset = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const tar = spawnSync('tar', ['-czf', join(prebuilds, asset), '-C', pkgDir, 'build/Release/better_sqlite3.node']);
  assert.equal(tar.status, 0, String(tar.stderr));
  return { npm_config_better_sqlite3_local_prebuilds: prebuilds };
}

/** The npm install path a user takes: `npm pack`, install the tarball into an empty folder, `npx polystack-cloud`. */
describe('the npm package', () => {
  let dir: string;
  let home: string;
  const npx = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, { cwd: dir, command: ['npx', '--no-install', 'polystack-cloud'], env: { HOME: home, ...env } });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'polystack-pack-'));
    home = join(dir, 'home');
    // Packs the dist/ the run built, without prepack's rebuild: scripts/bundle.mjs empties dist/chunks/, and
    // the other files running meanwhile load chunks from it (5 failures in one run). prepack runs the same
    // steps as `npm run build`, which the suite ran first.
    assert.ok(existsSync(join(ROOT, 'dist', 'polystack.mjs')), 'dist/ is not built: npm run build');
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    assert.equal(tarball, `${pkg.name}-${pkg.version}.tgz`);
    const app = join(dir, 'app');
    spawnSync('mkdir', ['-p', app, home]);
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tarball)], {
      cwd: app,
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, ...localPrebuild(dir) },
    });
    assert.equal(install.status, 0, `npm install of the tarball failed:\n${install.stdout}\n${install.stderr}`);
    dir = app;
  });
  after(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('holds the bundle, the specs and the launcher, and nothing from test/ or node_modules', () => {
    const files = spawnSync('tar', ['-tzf', join(dir, '..', `${pkg.name}-${pkg.version}.tgz`)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean);
    for (const f of [
      'package/bin/polystack.js',
      'package/dist/polystack.mjs',
      // The prebuilt default cloud `serve --in-memory` opens (scripts/bundle.mjs).
      'package/dist/cloud-image.db',
      'package/dist/cloud-image.json',
      'package/specs/cloudstack/listApis-4.18.json',
      'package/specs/gce/compute-v1-methods.json',
      'package/src/gce/GAPS.md',
    ])
      assert.ok(files.includes(f), `${f} missing from the tarball`);
    // Every chunk the bundle imports, statically or on demand, is in the package.
    const bundle = ['package/dist/polystack.mjs', ...files.filter((f) => /^package\/dist\/chunks\/.*\.mjs$/.test(f))];
    for (const f of bundle)
      for (const [, chunk] of readFileSync(
        join(dir, 'node_modules', pkg.name, f.slice('package/'.length)),
        'utf8',
      ).matchAll(/["'](?:\.\.?\/)+(chunks\/[\w.-]+\.mjs|[\w.-]+\.mjs)["']/g))
        assert.ok(
          files.some((g) => g.endsWith(`/${chunk}`)),
          `${chunk}, imported by ${f}, missing from the tarball`,
        );
    assert.deepEqual(
      files.filter((f) => /^package\/(test|node_modules|src\/.*\.ts)/.test(f)),
      [],
    );
    const installed = readdirSync(join(dir, 'node_modules'));
    for (const dev of ['fastify', 'kysely', 'typescript', 'tsx', 'googleapis'])
      assert.ok(!installed.includes(dev), `${dev} was installed as a runtime dependency`);
  });

  it('npx polystack-cloud --version prints the package version; coverage and doctor work from the install', async () => {
    assert.equal((await npx(['--version'])).stdout.trim(), pkg.version);
    const cov = await npx(['coverage', '--summary']);
    assert.equal(cov.code, 0, cov.stderr);
    assert.match(cov.stdout, /^cloudstack +\d+ of the 722 commands of CloudStack 4\.18 are implemented/m);
    assert.match(cov.stdout, /^gce +\d+ of the 1008 methods of Compute Engine v1/m);
    const doc = await npx(['doctor', '--port', '0', '--data-dir', join(home, 'doctor'), '--no-clients']);
    assert.equal(doc.code, 0, doc.stdout + doc.stderr);
    assert.match(doc.stdout, /^ok +database +\S+polystack\.db: \d+ migrations applied, \d+ zones$/m);
  });

  it('npx polystack-cloud serve starts, and the Debian cs client lists its zones', { timeout: 120_000 }, async () => {
    const data = join(home, 'data');
    const server = await startReady(['serve', '--port', '0', '--data-dir', data], {
      cwd: dir,
      command: ['npx', '--no-install', 'polystack-cloud'],
      env: { HOME: home },
    });
    try {
      const env = await npx(['env', '--url', server.url]);
      const vars = Object.fromEntries([...env.stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
      assert.equal(vars['CLOUDSTACK_ENDPOINT'], `${server.url}/client/api`);
      // Debian's python3-cs installs no cs script: `python3 -m cs` is its command line.
      const cs = spawnSync('/usr/bin/python3', ['-m', 'cs', 'listZones'], {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', ...vars },
      });
      assert.equal(cs.status, 0, cs.stderr);
      const zones = JSON.parse(cs.stdout)
        .zone.map((z: { name: string }) => z.name)
        .sort();
      assert.deepEqual(zones, ['Sandbox-simulator-advanced', 'Sandbox-simulator-basic']);
    } finally {
      await server.stop();
    }
  });
});
