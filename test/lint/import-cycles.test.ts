import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each file's relative imports and re-exports, `import type` included: a circle closed by types is still a circle. */
function graph(sources: Map<string, string>): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const [file, text] of sources) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const out: string[] = [];
    for (const st of sf.statements) {
      const spec =
        (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) &&
        st.moduleSpecifier &&
        ts.isStringLiteral(st.moduleSpecifier)
          ? st.moduleSpecifier.text
          : undefined;
      if (spec?.startsWith('.')) out.push(normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
    }
    g.set(
      file,
      out.filter((f) => sources.has(f)),
    );
  }
  return g;
}

/** The strongly connected groups of more than one file (Tarjan), each sorted. */
function circles(g: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    on = new Set<string>(),
    out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      on.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) out.push(group.sort());
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('import circles', () => {
  it('src/ has none, type-only imports counted', () => {
    const sources = new Map(files(join(ROOT, 'src')).map((f) => [relative(ROOT, f), readFileSync(f, 'utf8')] as const));
    assert.deepEqual(circles(graph(sources)), []);
  });

  it('finds a circle closed by a type-only import', () => {
    const sources = new Map([
      ['src/a.ts', "import { b } from './b.js';\nexport const a = b;"],
      ['src/b.ts', "import type { A } from './a.js';\nexport const b = 1 as unknown as A;"],
      ['src/c.ts', "import { a } from './a.js';"],
    ]);
    assert.deepEqual(circles(graph(sources)), [['src/a.ts', 'src/b.ts']]);
  });
});
