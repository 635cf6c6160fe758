// A node:test reporter: how long each test file's top-level tests ran, summed, as JSON
// ({ "/abs/path.test.ts": ms }). Node names the file a test was declared in, so this holds
// inside the fast tier's shards too, where many files share one process.
export default async function* durations(source) {
  const ms = {};
  // A top-level suite declared in a helper (forEachDialect) belongs to the test file that declared
  // its tests: they finish before it, and top-level tests of one process run one at a time.
  let lastTestFile;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { file, nesting } = event.data;
    if (file?.endsWith('.test.ts')) lastTestFile = file;
    if (nesting !== 0) continue;
    const owner = file?.endsWith('.test.ts') ? file : lastTestFile;
    if (owner) ms[owner] = (ms[owner] ?? 0) + (event.data.details?.duration_ms ?? 0);
  }
  yield JSON.stringify(ms);
}
