import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The code Prettier formats (`npm run format`): not the upstream data, the generated files nor the docs. */
const FORMATTED = ['src', 'test', 'scripts', 'bench', 'web/src'];
const CODE = /\.(?:ts|tsx|mts|mjs|js)$/;

function codeFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (CODE.test(e.name)) out.push(relative(ROOT, p));
    }
  };
  for (const d of FORMATTED) walk(join(ROOT, d));
  return [...out, 'eslint.config.js'].sort();
}

describe('formatting (.prettierrc.json)', () => {
  it('every code file is as Prettier writes it', async () => {
    const off: string[] = [];
    for (const file of codeFiles()) {
      const options = await prettier.resolveConfig(join(ROOT, file));
      if (!(await prettier.check(readFileSync(join(ROOT, file), 'utf8'), { ...options, filepath: join(ROOT, file) })))
        off.push(file);
    }
    assert.deepEqual(off, [], 'run npm run format');
  });

  it('notices a file that is not', async () => {
    const options = await prettier.resolveConfig(join(ROOT, 'src/specs.ts'));
    assert.equal(
      await prettier.check('export const x = {a:1}\n', { ...options, filepath: join(ROOT, 'src/x.ts') }),
      false,
    );
  });
});
