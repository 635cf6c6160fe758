// Runs the built `polystack` command (bin/polystack.js, or another launcher such as npx) and collects what it printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './process.js';

export { BIN };

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; command?: string[] } = {},
): Promise<Run> {
  const [cmd, ...pre] = opts.command ?? [process.execPath, BIN];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, [...pre, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Like startProcess (process.ts), for any launcher and folder: resolves with the URL of its "ready on" line. */
export function startReady(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; command?: string[] } = {},
): Promise<{ child: ChildProcess; url: string; stop(): Promise<void>; output(): string }> {
  const [cmd, ...pre] = opts.command ?? [process.execPath, BIN];
  // Its own process group: a launcher such as npx does not pass SIGTERM on to the server it started.
  const child = spawn(cmd!, [...pre, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => (process.kill(-child.pid!, 'SIGKILL'), reject(new Error(`${args[0]} not ready in 60 s:\n${out}\n${err}`))),
      60_000,
    );
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /ready on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stop, output: () => out });
      }
    });
    child.once('exit', (c) => (clearTimeout(timer), reject(new Error(`${args[0]} exited ${c}:\n${out}\n${err}`))));
  });
}
