// The lines of test/'s code files that match a pattern, for the lint tests that keep a habit out of the tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEST = fileURLToPath(new URL('..', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|tsx|mts)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Each matching line as `path/under/test:line: text`, leaving out the files in `skip` (absolute paths). */
export function testLinesMatching(pattern: RegExp, skip: readonly string[]): string[] {
  return files(TEST)
    .filter((f) => !skip.includes(f))
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (pattern.test(line) ? [`${relative(TEST, f)}:${i + 1}: ${line.trim()}`] : [])),
    );
}
