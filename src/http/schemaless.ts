import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify options for a server whose routes declare no JSON schemas (every front parses and validates its
 * own wire format). Fastify builds its schema compilers (ajv, fast-json-stringify) unless it is given its
 * own: these refuse instead, so neither is loaded, and scripts/bundle.mjs leaves both out of the bundle
 * (~370 KB of source every start compiled and kept in memory). A route that adds a schema fails at
 * registration with this message rather than at its first request.
 */
export const SCHEMALESS: Pick<FastifyServerOptions, 'schemaController'> = {
  schemaController: {
    compilersFactory: {
      buildValidator: refuse,
      buildSerializer: refuse,
    },
  },
};

function refuse(): never {
  throw new Error('polystack routes declare no JSON schemas (src/http/schemaless.ts): validate in the handler');
}
