// Whether dist/ holds a build of the current sources: `npm start` builds only when it does not.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const OUTPUTS = ['dist/polystack.mjs', 'dist/cloud-image.db', 'dist/web/index.html'];
export const SOURCES = [
  'src',
  'web',
  'scripts/bundle.mjs',
  'scripts/cloud-image.ts',
  'scripts/api-digest.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];

/** The newest modification time under a path (files only; dist/ and node_modules never count). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const f of readdirSync(path)) if (f !== 'node_modules' && f !== 'dist') t = Math.max(t, newest(join(path, f)));
  return t;
}

/** Why a build is needed in `root`, or undefined when dist/ is newer than every source. */
export function buildReason(root) {
  const built = Math.min(...OUTPUTS.map((f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : 0)));
  if (built === 0) return 'no build yet';
  return Math.max(...SOURCES.map((s) => newest(join(root, s)))) > built
    ? 'sources changed since the last build'
    : undefined;
}
