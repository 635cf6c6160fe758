import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder polystack is installed in (a checkout or node_modules/polystack): the one holding
 * specs/ and package.json. Found by walking up from this module, because the code runs from src/
 * (tests), dist/ (tsc output) and dist/polystack.mjs (the bundle) alike.
 */
export function packageRoot(): string {
  if (!root) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'specs', 'cloudstack'))) {
      const up = dirname(dir);
      if (up === dir) throw new Error('cannot find the specs/ folder of polystack');
      dir = up;
    }
    root = dir;
  }
  return root;
}

/** A file under the project's specs/ folder. */
export const specFile = (...parts: string[]): string => join(packageRoot(), 'specs', ...parts);

let version: string | undefined;

/** The version in package.json, which the npm tarball always carries. */
export function packageVersion(): string {
  return (version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version);
}
