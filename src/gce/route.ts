import type { GceBody } from './compute.types.js';
import type { GceContext } from './context.js';

/**
 * One Compute Engine REST method. The table of these is the single source for the HTTP routes
 * (router.ts) and for the discovery document (discovery.ts), so the two cannot drift apart.
 */
export interface Route {
  /** `instances.get`: resource collection and method, as in the discovery document (`compute.instances.get`). */
  id: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';
  /** Relative to `compute/v1/`, with `{param}` segments: `projects/{project}/zones/{zone}/instances/{instance}`. */
  path: string;
  /** Query parameters the method reads (besides the standard ones every method accepts). */
  query?: readonly string[];
  /** Schema of the request body, if the method takes one. */
  request?: string;
  /** Schema of the response. */
  response: string;
  description: string;
  /** Readable in Google's public image projects (debian-cloud, ...) by every caller. */
  publicImages?: boolean;
  run(ctx: GceContext, req: RouteRequest): Promise<unknown>;
}

export interface RouteRequest {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** The parsed body of a method that takes one (`request`); `{}` for the others. */
  body: GceBody;
}

export const LIST_QUERY = ['filter', 'maxResults', 'orderBy', 'pageToken', 'returnPartialSuccess'] as const;
export const AGGREGATED_QUERY = [...LIST_QUERY, 'includeAllScopes', 'serviceProjectNumber'] as const;

/** A query parameter given twice arrives as an array; every parameter here takes one value, so the first counts (as the CloudStack front does with forms). */
export function firstValues(q: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(q).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}
