import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/program.js';
import { ENVIRONMENT } from '../../src/server/config.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Images cannot be built here, so the Dockerfile and compose.yaml are linted against the project
 * they package: the files they copy exist, the settings they pass are ones polystack reads, the
 * port, volume and health check agree, and the health check command works against a real server.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

interface Instruction {
  op: string;
  args: string;
  line: number;
}

/** Dockerfile instructions: comments dropped, backslash continuations joined. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let start = 0;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (!pending) start = i + 1;
    if (line.startsWith('#')) continue;
    pending += (pending ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) continue;
    const m = /^(\w+)\s+(.*)$/.exec(pending);
    assert.ok(m, `Dockerfile:${start}: cannot read "${pending}"`);
    out.push({ op: m[1]!.toUpperCase(), args: m[2]!, line: start });
    pending = '';
  }
  assert.equal(pending, '', 'Dockerfile ends inside a continued line');
  return out;
}

const KNOWN = [
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
];
const envOf = (args: string) => Object.fromEntries([...args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
const execForm = (where: string, s: string): string[] => {
  const v = JSON.parse(s) as unknown;
  assert.ok(Array.isArray(v) && v.every((x) => typeof x === 'string'), `${where} is not an exec-form JSON array: ${s}`);
  return v as string[];
};

describe('Dockerfile and compose.yaml', () => {
  const ins = instructions(read('Dockerfile'));
  const stages = ins.filter((i) => i.op === 'FROM');
  const final = ins.slice(ins.lastIndexOf(stages.at(-1)!));
  const env = Object.assign({}, ...final.filter((i) => i.op === 'ENV').map((i) => envOf(i.args))) as Record<
    string,
    string
  >;
  const health = execForm(
    'HEALTHCHECK CMD',
    /CMD\s+(\[.*\])$/.exec(final.find((i) => i.op === 'HEALTHCHECK')!.args)![1]!,
  );
  const compose = parse(read('compose.yaml')) as any;
  const known = new Set(ENVIRONMENT.map((e) => e.name));

  it('the Dockerfile uses known instructions, starts FROM a Node that package.json allows, and copies only from its own stages', () => {
    for (const i of ins) assert.ok(KNOWN.includes(i.op), `Dockerfile:${i.line}: unknown instruction ${i.op}`);
    assert.equal(ins[0]!.op, 'FROM');
    const engines = JSON.parse(read('package.json')).engines.node as string;
    for (const s of stages) {
      const major = /^node:(\d+)/.exec(s.args)?.[1];
      assert.ok(
        major && Number(major) >= Number(/\d+/.exec(engines)![0]),
        `Dockerfile:${s.line}: ${s.args} does not satisfy engines ${engines}`,
      );
    }
    const names = stages.map((s) => /\sAS\s+(\S+)/i.exec(s.args)?.[1]).filter(Boolean);
    for (const c of ins.filter((i) => i.op === 'COPY' && i.args.startsWith('--from=')))
      assert.ok(names.includes(/--from=(\S+)/.exec(c.args)![1]), `Dockerfile:${c.line}: unknown stage`);
  });

  it('every file it copies exists, is not in .dockerignore, and covers what npm pack puts in the tarball', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const sources = ins
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from='))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const s of sources) {
      assert.ok(existsSync(join(ROOT, s)), `COPY ${s}: no such file in the project`);
      assert.ok(!ignored.some((p) => s === p || s.startsWith(`${p}/`)), `COPY ${s} is excluded by .dockerignore`);
    }
    const files = JSON.parse(read('package.json')).files as string[];
    // dist/ is built in the image by npm pack's prepack, from src/ and scripts/bundle.mjs.
    const needed = [
      ...files.filter((f) => !f.startsWith('dist/')),
      'scripts/bundle.mjs',
      'src/cli/main.ts',
      'package-lock.json',
    ];
    for (const f of needed)
      assert.ok(
        sources.some((s) => f === s || f.startsWith(s.replace(/\/?$/, '/'))),
        `${f} is packed by npm but never copied into the image`,
      );
  });

  it('the settings it passes are ones polystack reads; port, volume and command agree', () => {
    for (const k of Object.keys(env)) assert.ok(known.has(k), `ENV ${k} is not read by resolveConfig`);
    assert.equal(env['POLYSTACK_HOST'], '0.0.0.0', 'a container must listen beyond its loopback');
    assert.deepEqual(
      final.filter((i) => i.op === 'EXPOSE').map((i) => i.args),
      [env['POLYSTACK_PORT']],
    );
    assert.deepEqual(execForm('VOLUME', final.find((i) => i.op === 'VOLUME')!.args), [env['POLYSTACK_DATA_DIR']]);
    const entry = execForm('ENTRYPOINT', final.find((i) => i.op === 'ENTRYPOINT')!.args);
    const cmd = execForm('CMD', final.find((i) => i.op === 'CMD')!.args);
    assert.deepEqual(entry, ['polystack']);
    // The image installs the tarball npm pack names after the package, and links the bin from its folder.
    const pkg = JSON.parse(read('package.json')) as { name: string; bin: Record<string, string> };
    const runs = ins
      .filter((i) => i.op === 'RUN')
      .map((i) => i.args)
      .join('\n');
    assert.ok(runs.includes(`/tmp/${pkg.name}-*.tgz`), `the image does not install ${pkg.name}'s tarball`);
    assert.ok(
      runs.includes(`node_modules/${pkg.name}/${pkg.bin['polystack']}`),
      `the image does not link ${pkg.name}'s polystack bin`,
    );
    assert.ok(
      buildProgram().commands.some((c) => c.name() === cmd[0]),
      `CMD ${cmd[0]} is not a polystack command`,
    );
    assert.match(health.join(' '), new RegExp(`http://127\\.0\\.0\\.1:${env['POLYSTACK_PORT']}/_polystack/ready`));
  });

  it('compose.yaml: port 8080, the data volume, the same health check, PostgreSQL only in its profile', () => {
    const ps = compose.services.polystack;
    assert.equal(ps.build, '.');
    assert.deepEqual(ps.ports, [`8080:${env['POLYSTACK_PORT']}`]);
    assert.deepEqual(ps.volumes, [`polystack-data:${env['POLYSTACK_DATA_DIR']}`]);
    assert.ok('polystack-data' in compose.volumes && 'postgres-data' in compose.volumes);
    assert.deepEqual(ps.healthcheck.test, ['CMD', ...health]);
    const names = (ps.environment as string[]).map((e) => e.split('=')[0]!);
    for (const n of names) assert.ok(known.has(n), `compose passes ${n}, which resolveConfig does not read`);
    assert.ok(ps.environment.includes(`POLYSTACK_DATA_DIR=${env['POLYSTACK_DATA_DIR']}`));
    const pg = compose.services.postgres;
    assert.deepEqual(pg.profiles, ['postgres']);
    assert.deepEqual(ps.depends_on.postgres, { condition: 'service_healthy', required: false });
    assert.equal(pg.healthcheck.test[1], 'pg_isready');
    for (const [name, s] of Object.entries<any>(compose.services))
      for (const v of s.volumes ?? [])
        assert.ok(String(v).split(':')[0]! in compose.volumes, `${name}: volume ${v} is not declared`);
  });

  describe('the health check command', () => {
    let server: TestServer;
    before(async () => {
      // A process: the check runs with spawnSync, which would block an in-process server from answering it.
      server = await startServer({ process: true });
    });
    after(() => server.stop());
    const run = (port: string) =>
      spawnSync(
        health[0]!,
        health.slice(1).map((a) => a.replace(`:${env['POLYSTACK_PORT']}/`, `:${port}/`)),
        { timeout: 20_000 },
      );

    it('passes against a ready polystack and fails where nothing listens', () => {
      assert.equal(run(new URL(server.url).port).status, 0);
      assert.equal(run('1').status, 1);
    });
  });
});
