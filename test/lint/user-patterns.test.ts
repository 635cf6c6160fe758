import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/**
 * The places that may build a JavaScript RegExp from a string. JavaScript's engine backtracks, so a
 * pattern built from request data can take exponential time and stall the one event loop serving
 * everyone (issue 13: `name eq (a+)+` held the server 7.7 s). User patterns go through RE2
 * (src/gce/regex.ts) or the linear glob matcher (src/domain/glob.ts). Each entry names the exact
 * code and why its argument cannot come from a request.
 */
const ALLOWED: { file: string; code: string; reason: string }[] = [
  {
    file: 'src/store/migrations/044_ipv6.ts',
    code: 'new RegExp(`("${c}" \\\\w+)( not null)?`)',
    reason:
      "a migration editing its table's own CREATE statement: the names are the migration's constant column names, never request data",
  },
  {
    file: 'src/coverage.ts',
    code: 'new RegExp(`\\\\b${name}\\\\b`)',
    reason:
      'the CLI coverage report: names are CloudStack command names from the shipped specs, matched against the shipped GAPS.md',
  },
  {
    file: 'src/coverage.ts',
    code: 'new RegExp(`\\\\b${resource}\\\\.(\\\\w+/)*${method}\\\\b`)',
    reason:
      'the CLI coverage report: GCE method ids from the shipped discovery list, matched against the shipped GAPS.md',
  },
  {
    file: 'src/cli/conformance.ts',
    code: 'new RegExp(o.only)',
    reason: "the operator's own --only flag on their command line, in the conformance client, never request data",
  },
];

// `RegExp(` with or without `new`; and the string methods that turn a string argument into a RegExp.
const COMPILES = /\bRegExp\s*\(|\.(?:match|matchAll|search)\(\s*(?!\/)/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|tsx|mts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every place in src/ that compiles a pattern at run time: file, line number, the line. */
function compileSites(): { file: string; line: number; text: string }[] {
  return sources(SRC).flatMap((path) => {
    const file = relative(join(SRC, '..'), path).split('\\').join('/');
    return readFileSync(path, 'utf8')
      .split('\n')
      .flatMap((text, i) => (text.search(COMPILES) >= 0 ? [{ file, line: i + 1, text: text.trim() }] : []));
  });
}

describe('no user pattern on a backtracking engine', () => {
  it('builds a RegExp from a string only at the allow-listed call sites', () => {
    const stray = compileSites().filter((s) => !ALLOWED.some((a) => a.file === s.file && s.text.includes(a.code)));
    assert.deepEqual(
      stray.map((s) => `${s.file}:${s.line}: ${s.text}`),
      [],
      'compile request data with re2FullMatch (src/gce/regex.ts) or globMatcher (src/domain/glob.ts); allow-list only constant or escaped patterns, with the reason',
    );
  });

  it('keeps no stale allow-list entry, and each one says why', () => {
    const sites = compileSites();
    for (const a of ALLOWED) {
      assert.ok(
        sites.some((s) => s.file === a.file && s.text.includes(a.code)),
        `${a.file}: ${a.code} is no longer in the source; drop it from ALLOWED`,
      );
      assert.ok(a.reason.length > 20, `${a.file}: ${a.code} needs a reason`);
    }
  });

  it('finds the compiles it is meant to find', () => {
    const hits = (line: string) => line.search(COMPILES) >= 0;
    for (const line of [
      'new RegExp(value)',
      'RegExp(`^${x}$`)',
      'const r = new RegExp (p, "i")',
      'name.match(userText)',
      's.search(q)',
      'text.matchAll(p)',
    ])
      assert.ok(hits(line), line);
    for (const line of ['/^a+$/.test(s)', 's.match(/x/)', 'const re: RegExp = /y/', 'a.search(/z/g)'])
      assert.ok(!hits(line), line);
  });
});
