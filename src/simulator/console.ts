import { parse } from 'yaml';

/** What the guest's console shows: facts about the instance and its user data. */
export interface GuestFacts {
  name: string;
  instanceId: string;
  template: string | undefined;
  privateIp?: string;
  started: number;
  /** The decoded user data, if any. */
  userData?: string;
}

// TextEncoder rather than Buffer: the web console renders the same log in the browser.
const byteLength = (s: string) => new TextEncoder().encode(s).length;

const stamp = (secs: number) => `[${secs.toFixed(6).padStart(12, ' ')}]`;

/**
 * A console log like a cloud image prints it: kernel boot lines, then cloud-init's account of the
 * user data: a #cloud-config is read and its users, packages, write_files and runcmd reported;
 * a shell script is "run" line by line. Deterministic, so tests can match on it.
 */
export function consoleLog(f: GuestFacts): string {
  const when = new Date(f.started).toUTCString();
  const lines = [
    `${stamp(0)} Linux version 6.1.0-polystack (simulated guest of ${f.template})`,
    `${stamp(0.412)} polystack: booting ${f.name} (${f.instanceId})`,
    `${stamp(1.204)} EXT4-fs (vda1): mounted filesystem with ordered data mode`,
    `cloud-init[412]: Cloud-init v. 23.1.2 running 'init' at ${when}.`,
    `cloud-init[412]: ci-info: eth0: ${f.privateIp ?? 'no address'}`,
    ...userDataReport(f.userData),
    `cloud-init[412]: Cloud-init v. 23.1.2 finished at ${when}. Datasource DataSourceCloudStack. Up 3.20 seconds`,
    `${f.name} login:`,
  ];
  return lines.join('\n') + '\n';
}

function userDataReport(ud: string | undefined): string[] {
  if (!ud) return ['cloud-init[412]: no user data'];
  if (ud.startsWith('#cloud-config')) return cloudConfig(ud);
  if (ud.startsWith('#!')) {
    const body = ud
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() && !l.trim().startsWith('#'));
    return [
      `cloud-init[520]: running user script ${ud.split('\n')[0]} (${body.length} commands)`,
      ...body.map((l) => `cloud-init[520]: + ${l.trim()}`),
    ];
  }
  return [`cloud-init[412]: user data of ${byteLength(ud)} bytes is neither #cloud-config nor a script; ignored`];
}

function cloudConfig(ud: string): string[] {
  let doc: Record<string, unknown>;
  try {
    doc = (parse(ud) ?? {}) as Record<string, unknown>;
  } catch (e) {
    return [`cloud-init[412]: #cloud-config could not be read: ${(e as Error).message.split('\n')[0]}`];
  }
  const out = ['cloud-init[412]: #cloud-config read'];
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  for (const u of list(doc['users'])) {
    const name = typeof u === 'string' ? u : (u as { name?: string })?.name;
    if (name && name !== 'default') out.push(`cloud-init[412]: users: created user ${name}`);
  }
  for (const p of list(doc['packages']))
    out.push(`cloud-init[412]: packages: installed ${Array.isArray(p) ? p.join('=') : String(p)}`);
  for (const w of list(doc['write_files'])) {
    const f = w as { path?: string; content?: string };
    if (f?.path) out.push(`cloud-init[412]: write_files: wrote ${f.path} (${byteLength(f.content ?? '')} bytes)`);
  }
  for (const c of list(doc['runcmd']))
    out.push(`cloud-init[412]: runcmd: ran ${Array.isArray(c) ? c.join(' ') : String(c)}`);
  if (doc['hostname']) out.push(`cloud-init[412]: set hostname ${String(doc['hostname'])}`);
  return out;
}
