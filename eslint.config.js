// ESLint: the layer rules of docs/architecture.md, checked on every `npm test`. Formatting and style
// are not this file's business; it only keeps the arrows between src/'s folders pointing one way.
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

/**
 * What each top-level entry of src/ may import, values and types alike (docs/architecture.md, "Layers").
 * `server` may import everything but `cli`; `cli` everything. Nothing else imports `server` or `cli`.
 */
const MAY_IMPORT = {
  domain: [],
  http: [],
  'specs.ts': [],
  'config-file.ts': [],
  store: ['domain'],
  jobs: ['domain', 'store'],
  simulator: ['domain', 'store'],
  services: ['domain', 'store', 'jobs', 'simulator', 'config-file.ts'],
  // the CloudStack front: protocol over services; store and jobs for their row types only (TYPE_ONLY)
  cloudstack: ['services', 'domain', 'http', 'specs.ts', 'store', 'jobs'],
  // the port the foreign fronts call: in process (LocalPort runs the CloudStack pipeline) or over HTTP
  bridge: ['cloudstack', 'services', 'domain'],
  // foreign fronts: the port, CloudStack's wire types (TYPE_ONLY), and the parts of two layers in PARTS
  ec2: ['bridge', 'cloudstack', 'domain', 'http', 'specs.ts'],
  gce: ['bridge', 'cloudstack', 'domain', 'http', 'specs.ts'],
  metadata: ['services', 'domain', 'ec2'],
  control: ['services', 'domain', 'store', 'ec2', 'gce', 'http'],
  datacenter: ['bridge', 'domain', 'config-file.ts'],
  conformance: ['cloudstack'],
  record: ['conformance'],
  'coverage.ts': ['cloudstack', 'ec2', 'gce', 'specs.ts'],
};
const ENTRIES = [...Object.keys(MAY_IMPORT), 'server', 'cli'];
const path = (e) => `./src/${e}`;

const FRONTS = ['ec2', 'gce'];
/** Layers a foreign front may use a few files of: the guest console text, and the engine of its own side database. */
const PARTS = [
  { entry: 'simulator', files: ['./console.ts'], why: 'the console text is the only simulator piece a front uses' },
  {
    entry: 'store',
    files: ['./side.ts', './idlist.ts', './version.ts'],
    why: "a front keeps its own side database; CloudStack's tables are the port's",
  },
];
/** One zone per layer: the entries it may not reach. */
const zones = [
  ...Object.entries(MAY_IMPORT).map(([layer, allowed]) => ({
    target: path(layer),
    // a layer a front may use PARTS of is checked by its own zone below
    from: ENTRIES.filter(
      (e) => e !== layer && !allowed.includes(e) && !(FRONTS.includes(layer) && PARTS.some((p) => p.entry === e)),
    ).map(path),
    message: `src/${layer} may import only ${allowed.join(', ') || 'itself'} (docs/architecture.md, "Layers")`,
  })),
  { target: path('server'), from: [path('cli')], message: 'nothing imports src/cli' },
];

for (const front of FRONTS)
  for (const p of PARTS) zones.push({ target: path(front), from: [path(p.entry)], except: p.files, message: p.why });

/** Layers allowed to see another only through `import type` (its row or wire types, never its code). */
const TYPE_ONLY = [
  {
    files: ['src/cloudstack/**/*.ts'],
    group: ['**/store/*', '**/jobs/*'],
    message: 'the CloudStack front reads store and job types only: call a service',
  },
  {
    files: ['src/ec2/**/*.ts', 'src/gce/**/*.ts'],
    group: ['**/cloudstack/*'],
    message: 'a foreign front reaches CloudStack through the port; it may import its wire types only',
  },
];

const COMPUTED_IN = {
  selector: "BinaryExpression[operator='in'][left.type!='Literal']",
  message: "`in` with a computed key also finds Object.prototype's names: use Object.hasOwn(table, key) or a Map",
};
/** Query building a service may not do (docs/architecture.md, "Layers"): SQL lives in src/store. */
const QUERY_BUILDERS = ['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'selectNoFrom'];
const NO_QUERIES = [
  {
    selector: `CallExpression > MemberExpression.callee[property.name=/^(${QUERY_BUILDERS.join('|')})$/]`,
    message: 'a service builds no query: add a named function to the concept store (hostStore.clearMaintenance)',
  },
  {
    selector: "TaggedTemplateExpression[tag.name='sql'], MemberExpression[object.name='sql']",
    message: "a service writes no SQL: add a named function to the concept store (kysely's sql belongs there)",
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'web/**',
      'node_modules/**',
      'bench/**',
      'test/**',
      'scripts/**',
      'docs/**',
      'examples/**',
      'bin/**',
    ],
  },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { 'import-x': importX, '@typescript-eslint': tseslint.plugin },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      // A key from input tested with `in` finds the prototype's too ('constructor' in {} is true): a fuzzed
      // entitytype=constructor once got past the check and failed inside the query (530).
      'no-restricted-syntax': ['error', COMPUTED_IN],
    },
  },
  {
    // The store owns its tables: a service calls a concept store's function (vmRows.update, vmStore.page),
    // never the generic by-table ones, and builds no query of its own.
    files: ['src/services/**/*.ts'],
    rules: {
      // this block's list replaces the src/**/*.ts one for services, so it repeats COMPUTED_IN
      'no-restricted-syntax': ['error', COMPUTED_IN, ...NO_QUERIES],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'kysely',
              allowTypeImports: true,
              message: 'a service builds no SQL: call a named function of the concept store (types may be imported)',
            },
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/store/repo.js'],
              importNames: ['insertRow', 'updateRow', 'getRow', 'deleteRow', 'allRows', 'lockRow'],
              message: "a service names no table: use the concept store's rows (vmRows.update) or a store function",
            },
          ],
        },
      ],
    },
  },
  ...TYPE_ONLY.map(({ files, group, message }) => ({
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group, message, allowTypeImports: true }] }],
    },
  })),
);
