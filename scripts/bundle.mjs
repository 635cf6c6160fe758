// Bundles the server into dist/polystack.mjs: one file starts far faster than hundreds of
// modules (Kysely alone is ~150 ms of module loading). tsc only type-checks (`npm run build` runs it
// first); the native better-sqlite3 addon stays a normal dependency.
// Start-up work is done here once instead of at every start: the API spec's digest is compiled in
// (src/cloudstack/spec.ts) and the default cloud is built into dist/cloud-image.db
// (src/server/shipped-image.ts), which `serve --in-memory` opens instead of migrating, seeding and
// building the two zones through the API.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  logLevel: 'warning',
  // Bundled CommonJS packages (pino, fastify's deps) call require(); give ESM one.
  banner: {
    js: "import { createRequire as __polystackRequire } from 'node:module'; const require = __polystackRequire(import.meta.url);",
  },
};

/** Bundles a build step into dist/ (so it finds specs/ the way the bundle does), runs it and removes it. */
async function run(entry, args, define = {}) {
  const file = `dist/.build-step-${randomUUID()}.mjs`;
  await build({ ...common, define, entryPoints: [entry], outfile: file });
  try {
    return execFileSync(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  } finally {
    rmSync(file, { force: true });
  }
}

const define = {
  // The image in dist/ belongs to this bundle alone.
  POLYSTACK_BUILD_ID: JSON.stringify(randomUUID()),
  POLYSTACK_API_DIGEST: JSON.stringify(await run('scripts/api-digest.ts', [])),
};

// What only some commands need (conformance, record, the pg and amqp drivers, the certificate code)
// is imported dynamically and split into dist/chunks/, so `serve` compiles and runs only what it uses.
rmSync('dist/chunks', { recursive: true, force: true });
/**
 * Fastify's schema compilers (ajv, fast-json-stringify) stay out: every server passes its own compilers
 * (src/http/schemaless.ts), so Fastify never requires them, and each start compiled their ~370 KB for nothing.
 */
const schemaCompilers = {
  name: 'no-schema-compilers',
  setup(b) {
    b.onResolve({ filter: /^@fastify\/(?:ajv-compiler|fast-json-stringify-compiler)$/ }, (a) => ({
      path: a.path,
      namespace: 'no-schema-compilers',
    }));
    b.onLoad({ filter: /.*/, namespace: 'no-schema-compilers' }, (a) => ({
      contents: `module.exports = () => { throw new Error('${a.path} is left out of the bundle: see src/http/schemaless.ts'); };`,
      loader: 'js',
    }));
  },
};
await build({
  ...common,
  define,
  plugins: [schemaCompilers],
  entryPoints: { polystack: 'src/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Less source to read and compile at every start; names stay, so stack traces and logs read the same.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
});

await run('scripts/cloud-image.ts', ['dist', JSON.parse(define.POLYSTACK_BUILD_ID)], define);
