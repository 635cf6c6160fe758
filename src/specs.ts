import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The project's folder (the one holding specs/). Found by walking up from this module, because the
 * code runs from src/ (tests), dist/ (tsc output) and dist/polystack.mjs (the bundle) alike.
 */
export function projectRoot(): string {
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
export function specFile(...parts: string[]): string {
  return join(projectRoot(), 'specs', ...parts);
}
