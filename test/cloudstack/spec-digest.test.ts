import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allApiDocs, digestApis, fromDigest } from '../../src/cloudstack/spec.js';

// The bundle validates requests against a digest of the spec compiled in by scripts/bundle.mjs.
describe('the API spec digest the bundle carries', () => {
  it('gives every command the name, async flag and parameters (type, required, length, order) of the spec', () => {
    const docs = allApiDocs();
    const digest = fromDigest(JSON.parse(JSON.stringify(digestApis(docs))));
    assert.equal(digest.size, docs.length);
    for (const doc of docs) {
      const spec = digest.get(doc.name.toLowerCase());
      assert.deepEqual(
        spec,
        {
          name: doc.name,
          isasync: doc.isasync,
          params: doc.params.map(({ name, type, required, length }) => ({ name, type, required, length })),
        },
        doc.name,
      );
    }
    assert.equal(digest.get('deployvirtualmachine')?.isasync, true);
    assert.ok(digest.get('listzones')?.params.some((p) => p.name === 'id' && p.type === 'uuid'));
  });
});
