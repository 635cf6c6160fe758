// Fastify's schema compilers are left out of the bundle (scripts/bundle.mjs), so every server polystack
// builds passes its own (src/http/schemaless.ts): a route with a schema must fail where it is declared,
// not at its first request in the field, and a route without one must serve as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { SCHEMALESS } from '../../src/http/schemaless.js';

describe('servers without JSON schemas', () => {
  it('refuse a route that declares a schema when the server gets ready', async () => {
    const app = Fastify({ logger: false, ...SCHEMALESS });
    app.post('/x', { schema: { body: { type: 'object' } } }, async () => 'ok');
    await assert.rejects(async () => {
      await app.ready();
    }, /polystack routes declare no JSON schemas/);
    await app.close().catch(() => undefined);
  });

  it('serve a route without one, JSON answers included', async () => {
    const app = Fastify({ logger: false, ...SCHEMALESS });
    app.post('/x', async (req) => ({ got: req.body }));
    const r = await app.inject({ method: 'POST', url: '/x', payload: { a: 1 } });
    assert.deepEqual([r.statusCode, r.json()], [200, { got: { a: 1 } }]);
    await app.close();
  });
});
