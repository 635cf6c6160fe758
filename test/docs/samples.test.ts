import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BIN } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { CODE_LANGS, pages, samples, type Sample } from './samples.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = join(ROOT, 'docs');
// JS samples import the project's packages (googleapis, @aws-sdk/client-ec2): they run from inside it.
const JS_DIR = join(ROOT, 'node_modules', '.cache', 'docs-samples');

describe('docs code samples', () => {
  const all = pages(DOCS).flatMap((p) => samples(DOCS, p));

  it('every code sample says whether CI runs it, and why not when it does not', () => {
    const unmarked = all
      .filter((s) => CODE_LANGS.includes(s.lang) && s.mark.kind === 'none')
      .map((s) => `${s.page}:${s.line}`);
    assert.deepEqual(unmarked, []);
    assert.ok(all.filter((s) => s.mark.kind === 'run').length >= 20, 'too few samples run');
  });

  describe('run against a started polystack', () => {
    let server: TestServer;
    let home: string;
    let env: Record<string, string>;
    before(async () => {
      home = mkdtempSync(join(tmpdir(), 'polystack-docs-'));
      const data = join(home, 'data');
      server = await startServer({ args: ['--data-dir', data], env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
      // `polystack` on PATH, as after `npm install -g polystack-cloud`; the Debian clients before any pyenv.
      const bin = join(home, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'polystack'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
      chmodSync(join(bin, 'polystack'), 0o755);
      env = {
        PATH: `${bin}:/usr/bin:/bin:${dirname(process.execPath)}`,
        HOME: home,
        LANG: 'C.UTF-8',
        PYTHONDONTWRITEBYTECODE: '1',
        POLYSTACK_PORT: new URL(server.url).port,
        POLYSTACK_DATA_DIR: data,
        ANSIBLE_LOCALHOST_WARNING: 'false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
      };
      // Python and JS samples read what `eval "$(polystack env)"` exports, as the pages say.
      const exported = spawnSync(join(bin, 'polystack'), ['env'], { env, encoding: 'utf8' }).stdout;
      for (const m of exported.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
      assert.ok(env['CLOUDSTACK_KEY'], `polystack env printed no key: ${exported}`);
      mkdirSync(JS_DIR, { recursive: true });
    });
    after(async () => {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    });

    // The docs speak of 127.0.0.1:8080; the samples run against the test server's port.
    const localize = (s: Sample) => s.code.replace(/\b8080\b/g, env['POLYSTACK_PORT']!);

    function run(s: Sample, cwd: string): ReturnType<typeof spawnSync> {
      const code = localize(s);
      if (['sh', 'bash', 'shell'].includes(s.lang))
        // stdin not a socket: Debian's bash sources bash.bashrc when it looks run by sshd.
        return spawnSync('bash', ['-euo', 'pipefail', '-c', code], {
          cwd,
          env,
          encoding: 'utf8',
          timeout: 120_000,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      if (['python', 'py'].includes(s.lang))
        return spawnSync('/usr/bin/python3', ['-c', code], { cwd, env, encoding: 'utf8', timeout: 120_000 });
      if (['js', 'javascript', 'mjs'].includes(s.lang)) {
        const file = join(JS_DIR, `${s.page.replace(/\W/g, '_')}_${s.line}.mjs`);
        writeFileSync(file, code);
        return spawnSync(process.execPath, [file], {
          cwd,
          env: { ...env, PATH: `${dirname(process.execPath)}:${env['PATH']}` },
          encoding: 'utf8',
          timeout: 120_000,
        });
      }
      throw new Error(`${s.page}:${s.line}: no runner for ${s.lang}`);
    }

    for (const page of pages(DOCS)) {
      const runnable = samples(DOCS, page).filter((s) => s.mark.kind === 'run' || s.mark.kind === 'file');
      if (!runnable.length) continue;
      it(`${page}: its samples run`, { timeout: 600_000 }, () => {
        const cwd = mkdtempSync(join(home, 'page-'));
        for (const s of runnable) {
          if (s.mark.kind === 'file') {
            writeFileSync(join(cwd, s.mark.name), s.code);
            continue;
          }
          const r = run(s, cwd);
          assert.equal(
            r.status,
            0,
            `${page}:${s.line} (${s.lang}) exited ${r.status}${r.error ? ` (${r.error.message})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
          );
        }
      });
    }
  });
});
