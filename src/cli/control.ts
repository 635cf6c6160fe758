import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { requestFailure } from './errors.js';

interface Target {
  url: string;
  token?: string;
  user: string;
  password: string;
}

const target = (o: { url?: string; controlToken?: string; user?: string; password?: string }): Target => ({
  url: (o.url ?? process.env['POLYSTACK_URL'] ?? 'http://127.0.0.1:8080').replace(/\/+$/, ''),
  token: o.controlToken ?? process.env['POLYSTACK_CONTROL_TOKEN'],
  user: o.user ?? 'admin',
  password: o.password ?? 'password',
});

async function control(t: Target, method: 'GET' | 'POST', path: string, body?: string): Promise<any> {
  const authorization = t.token
    ? `Bearer ${t.token}`
    : `Basic ${Buffer.from(`${t.user}:${t.password}`).toString('base64')}`;
  const r = await fetch(`${t.url}/_polystack/${path}`, {
    method,
    headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  }).catch((err: unknown) => {
    throw requestFailure(t.url, err);
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} /_polystack/${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

const withTarget = (c: Command) =>
  c
    .option('--url <url>', 'polystack to talk to (env POLYSTACK_URL, default http://127.0.0.1:8080)')
    .option('--control-token <token>', 'control token (env POLYSTACK_CONTROL_TOKEN); otherwise root-admin credentials')
    .option('--user <name>', 'root admin user', 'admin')
    .option('--password <password>', 'its password', 'password');

/** `polystack reset` and `polystack state save|load`: the control endpoints from a shell. */
export function registerControlCommands(program: Command): void {
  withTarget(program.command('reset').description('put the running cloud back to its seed, or empty one account'))
    .option('--account <name>', 'reset only this account')
    .action(async (o) => {
      const r = await control(target(o), 'POST', 'reset', JSON.stringify(o.account ? { account: o.account } : {}));
      process.stdout.write(`reset ${o.account ? `account ${o.account}` : 'cloud'} in ${r.tookMs} ms\n`);
    });
  const state = program.command('state').description('save or load a snapshot of the whole cloud');
  withTarget(state.command('save <file>').description('write the running cloud to FILE')).action(
    async (file: string, o) => {
      const snap = await control(target(o), 'GET', 'state');
      writeFileSync(file, JSON.stringify(snap));
      process.stdout.write(`saved ${Object.keys(snap.tables).length} tables to ${file}\n`);
    },
  );
  withTarget(state.command('load <file>').description('replace the running cloud with FILE')).action(
    async (file: string, o) => {
      const r = await control(target(o), 'POST', 'state', readFileSync(file, 'utf8'));
      process.stdout.write(`loaded ${r.tables} tables from ${file}\n`);
    },
  );
}
