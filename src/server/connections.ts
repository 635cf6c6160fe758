import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** File descriptors kept for the process's own use (databases, WAL files, logs, outgoing connections). */
const RESERVED_FDS = 256;

/** This process's soft open-file limit (Linux), or undefined where it cannot be read or has none. */
export function openFileLimit(
  read: () => string = () => readFileSync('/proc/self/limits', 'utf8'),
): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(read());
    return m?.[1] && m[1] !== 'unlimited' ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** 10,000 connections, or fewer where the open-file limit would run out first: the cap refuses before accept() fails. */
export function defaultMaxConnections(limit = openFileLimit()): number {
  return limit === undefined ? 10_000 : Math.max(64, Math.min(10_000, limit - RESERVED_FDS));
}

/**
 * Connections as Jetty treats them: one with no bytes either way for the idle timeout is closed
 * (a socket that never sends a byte too; Node's own timeouts start at the first byte, or not at
 * all with POLYSTACK_REQUEST_TIMEOUT_MS=0), unless the server is working on a request it carries
 * (a slow command, an event stream): then the client is not the one being idle.
 * Past the connection cap a new connection is closed at once, before a byte is read: its front
 * is not known yet, and reading its request would hold the very descriptor the cap protects.
 */
export function guardConnections(
  app: FastifyInstance,
  limits: { idleTimeoutMs: number; maxConnections: number },
  log: Logger,
  dropped?: () => void,
): void {
  const working = new WeakMap<Socket, number>();
  const server = app.server;
  server.timeout = limits.idleTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // preHandler: the request is fully received; from here until its answer ends the wait is the server's.
  app.addHook('preHandler', (req, res, done) => {
    const socket = req.raw.socket;
    working.set(socket, (working.get(socket) ?? 0) + 1);
    res.raw.once('close', () => working.set(socket, (working.get(socket) ?? 1) - 1));
    done();
  });
  // With a listener here Node leaves the decision to it (http's socketOnTimeout), for keep-alive waits too.
  server.on('timeout', (socket: Socket) => {
    if (!working.get(socket)) socket.destroy();
  });
  let warned = 0;
  server.on('drop', () => {
    dropped?.();
    if (Date.now() - warned < 10_000) return;
    warned = Date.now();
    log.warn(
      { maxConnections: limits.maxConnections },
      'connection refused: the connection cap is reached (POLYSTACK_MAX_CONNECTIONS)',
    );
  });
}
