import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The folders where `any` is no longer written as a type: their seams are typed (CloudStack
 * answers by src/cloudstack/wire.ts, read through src/bridge/wire-call.ts; requests by @aws-sdk/client-ec2 and
 * googleapis' compute v1 schemas), so an `any` there
 * would switch the checks off again. A folder joins with one line once it is clean.
 */
const ANY_FREE = ['src/bridge', 'src/ec2', 'src/gce'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Where `any` is used as a type (the keyword in a type position: annotations, casts, type arguments), as file:line. */
function anyTypes(name: string, text: string): string[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword)
      out.push(`${name}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('no any in typed folders', () => {
  it('finds no `any` type in ' + ANY_FREE.join(', '), () => {
    const found = ANY_FREE.flatMap((dir) =>
      files(join(ROOT, dir)).flatMap((f) => anyTypes(relative(ROOT, f), readFileSync(f, 'utf8'))),
    );
    assert.deepEqual(found, [], 'type it (a wire type, an SDK request type) or take `unknown` and narrow');
  });

  it('sees the keyword in every type position, and not the word in comments, strings or names', () => {
    assert.equal(
      anyTypes(
        'x.ts',
        'let a: any; const b = c as any; f<any>(); type T = Record<string, any>; function g(x: any[]) {}',
      ).length,
      5,
    );
    assert.equal(
      anyTypes('x.ts', 'type U = { [k: string]: any }; function h(): Promise<Array<any>> { return p; }').length,
      2,
    );
    assert.deepEqual(
      anyTypes('x.ts', "// any\nconst any1 = 'any';\n/** any */ const s = `any ${any1}`;\nconst o = { any: 1 };"),
      [],
    );
  });
});
