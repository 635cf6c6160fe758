// Writes specs/gce/compute-v1-methods.json: every Compute Engine v1 method (id, HTTP method, path),
// read out of the generated googleapis client, the discovery surface the GCE coverage table counts
// against. Run again after upgrading googleapis.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('googleapis/package.json');
const src = readFileSync(require.resolve('googleapis/build/src/apis/compute/v1.js'), 'utf8');

// `this.zoneOperations = new Resource$Zoneoperations(this.context);` names each resource class.
const names = new Map(
  [...src.matchAll(/this\.(\w+) =\s*new (Resource\$\w+)\(this\.context\)/g)].map((m) => [m[2], m[1]]),
);
const methods = [];
for (const block of src.split(/\n    class /).slice(1)) {
  const cls = /^(Resource\$\w+)/.exec(block)?.[1];
  const resource = cls && names.get(cls);
  if (!resource) continue;
  for (const m of block.matchAll(
    /\n        (\w+)\(paramsOrCallback[\s\S]*?'\/compute\/v1\/([^']*)'[\s\S]*?method: '(\w+)'/g,
  )) {
    methods.push({ id: `${resource}.${m[1]}`, httpMethod: m[3], path: m[2] });
  }
}
methods.sort((a, b) => a.id.localeCompare(b.id));
const out = { source: `googleapis ${pkg.version}, compute v1`, methods };
writeFileSync(new URL('../specs/gce/compute-v1-methods.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
console.log(`${methods.length} methods`);
