import type { RawPairs } from './params.js';

/** One CloudStack API exchange as the pipeline sees it: what the HTTP route (or another front's port) hands in, and what goes back. */
export interface ApiRequest {
  method: 'GET' | 'POST';
  pairs: RawPairs;
  cookies: Record<string, string>;
  /** Set when another front (GCE, EC2) calls through the CloudStack port: that front applies its own fault rules. */
  origin?: 'gce' | 'ec2';
  /** The HTTP request's id (X-Request-Id), for the log lines written while it is answered. */
  reqId?: string;
  /**
   * Set only by the in-process port (src/bridge/local.ts), never from the wire: the caller's key pair, taken
   * as a signature made with it would be (the secret must be the key's), without one being written and checked.
   */
  keyPair?: { apiKey: string; secretKey: string };
}

export interface ApiReply {
  status: number;
  contentType: string;
  body: string;
  /** The body already encoded, for answers served many times (the list cache). */
  bytes?: Buffer;
  headers?: Record<string, string | string[]>;
}

/**
 * An answer written as it is produced (a full list of a big cloud): status and headers are final, the
 * body comes in pieces. `close` stops producing it when it will not be read to the end.
 */
export interface StreamedReply {
  status: number;
  contentType: string;
  headers?: Record<string, string | string[]>;
  stream: AsyncIterable<string>;
  close(): Promise<void>;
}

export type ApiAnswer = ApiReply | StreamedReply;
export const isStreamed = (a: ApiAnswer): a is StreamedReply => 'stream' in a;
