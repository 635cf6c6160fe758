// Starts the built server (dist/, via bin/polystack.js) as a child process on a
// free port with an in-memory store, and hands back its address and admin keys.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freshDatabase } from './pg.js';
import { startPolystack } from '../../src/server/app.js';
import { resolveConfig } from '../../src/server/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/polystack.js', import.meta.url));

// Fixed keys so tests (and any client they start) can sign without asking the server.
export const ADMIN_API_KEY = 'polystack-test-admin-api-key';
export const ADMIN_SECRET_KEY = 'polystack-test-admin-secret-key';

const READY = /^polystack ready on (http:\/\/\S+)\s*$/m;
// A node of a cluster test builds or waits for the shared data center, slower on a loaded machine.
const START_TIMEOUT_MS = Number(process.env['POLYSTACK_TEST_START_TIMEOUT_MS'] ?? 90_000);
const STOP_TIMEOUT_MS = 10_000;

/** A served cloud: its address, the admin's keys, and a way to stop it. */
export interface TestServer {
  url: string;
  endpoint: string;
  apiKey: string;
  secretKey: string;
  /** Closes it (a process: SIGTERM), then the exit code. */
  stop(): Promise<number | null>;
}

/** A cloud served by its own process: what only a process has. */
export interface ServerProcess extends TestServer {
  pid: number;
  /** SIGKILL (kill -9): no shutdown, no flush; resolves when the process is gone. */
  kill(): Promise<void>;
  /** Everything the process wrote to stderr so far (its JSON log lines). */
  stderr(): string;
}

export interface ServerOptions {
  env?: Record<string, string>;
  /** Command-line arguments in place of `--in-memory` (pass `--data-dir DIR` to test persistence); implies a process. */
  args?: string[];
  /** Serve from a child process running the built bin/polystack.js (signals, logs, exit codes, the bundle). */
  process?: boolean;
}

/**
 * Serves a cloud on a free port of 127.0.0.1. In this process (the fast way: no boot, the build is
 * copied from the process's first) unless the test needs a process: then the built server is
 * started as a child, exactly as a user starts it.
 */
export function startServer(opts: ServerOptions & { process: true }): Promise<ServerProcess>;
export function startServer(opts: ServerOptions & { args: string[] }): Promise<ServerProcess>;
export function startServer(opts?: ServerOptions): Promise<TestServer>;
export function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  return opts.process || opts.args ? startProcess(opts) : serveInProcess(opts);
}

async function serveInProcess(opts: ServerOptions): Promise<TestServer> {
  const fresh = process.env['POLYSTACK_TEST_DB'] === 'postgres' ? await freshDatabase() : undefined;
  const env = {
    ...process.env,
    POLYSTACK_ADMIN_API_KEY: ADMIN_API_KEY,
    POLYSTACK_ADMIN_SECRET_KEY: ADMIN_SECRET_KEY,
    // A child's warnings go to its own stderr; here they would land in the test report.
    POLYSTACK_LOG_LEVEL: 'silent',
    ...opts.env,
  };
  const ps = await startPolystack(
    resolveConfig({ inMemory: true, port: 0, host: '127.0.0.1', database: fresh?.url }, env),
  );
  let stopping: Promise<number | null> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await ps.close();
      await fresh?.drop();
      return 0;
    })());
  return { url: ps.url, endpoint: `${ps.url}/client/api`, apiKey: ADMIN_API_KEY, secretKey: ADMIN_SECRET_KEY, stop };
}

async function startProcess(opts: ServerOptions): Promise<ServerProcess> {
  // POLYSTACK_TEST_DB=postgres: the same test against a fresh PostgreSQL database.
  const fresh = !opts.args && process.env['POLYSTACK_TEST_DB'] === 'postgres' ? await freshDatabase() : undefined;
  const args = opts.args ?? (fresh ? ['--in-memory', '--database', fresh.url] : ['--in-memory']);
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      POLYSTACK_ADMIN_API_KEY: ADMIN_API_KEY,
      POLYSTACK_ADMIN_SECRET_KEY: ADMIN_SECRET_KEY,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`polystack did not start: ${why}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.stdout.on('data', () => {
      const m = READY.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('error', (err) => fail(err.message));
    void exited.then((code) => fail(`exited with code ${code}`));
  });

  let stopping: Promise<number | null> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      // A server that ignores SIGTERM must not hang the test run.
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const code = await exited;
      clearTimeout(killer);
      await fresh?.drop();
      return code;
    })());

  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };

  return {
    url,
    endpoint: `${url}/client/api`,
    apiKey: ADMIN_API_KEY,
    secretKey: ADMIN_SECRET_KEY,
    pid: child.pid!,
    stop,
    kill,
    stderr: () => stderr,
  };
}
