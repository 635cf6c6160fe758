import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GCE = join(ROOT, 'src', 'gce');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Where `any` is written as a type in a source text (`line:column`): parsed, so comments and strings do not count. */
function anyTypes(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) {
      const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      out.push(`${line + 1}:${character + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

it('finds `any` wherever it is written as a type, and nowhere else', () => {
  const text = [
    '// any in a comment, and "any" in a string, are not types',
    "const s = 'any';",
    'const a: any = 1;',
    'const b = s as any;',
    'function f(x: Array<any>, y: Record<string, any>): Promise<any> { return Promise.resolve([x, y]); }',
    'type T = { [k: string]: any };',
    'export { a, b, f, type T };',
  ].join('\n');
  assert.deepEqual(anyTypes('sample.ts', text), ['3:10', '4:16', '5:21', '5:45', '5:60', '6:25']);
});

// The GCE front reads CloudStack through cloudstack.types.ts and its requests through compute.types.ts:
// an `any` would let a field renamed on either side through the type-check.
it('src/gce writes no `any` type', () => {
  const found = sources(GCE).flatMap((path) => anyTypes(path, readFileSync(path, 'utf8')).map((at) => `${relative(ROOT, path)}:${at}`));
  assert.deepEqual(found, []);
});
