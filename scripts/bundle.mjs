// Bundles the server into dist/polystack.mjs: one file starts far faster than hundreds of
// modules (Kysely alone is ~150 ms of module loading). tsc still type-checks and emits dist/
// for the tests; the native better-sqlite3 addon stays a normal dependency.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/polystack.mjs',
  external: ['better-sqlite3'],
  sourcemap: 'linked',
  logLevel: 'warning',
  // Bundled CommonJS packages (pino, fastify's deps) call require(); give ESM one.
  banner: {
    js: "import { createRequire as __polystackRequire } from 'node:module'; const require = __polystackRequire(import.meta.url);",
  },
});
