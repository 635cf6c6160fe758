// Which non-passing Marvin methods are "exceptions": they need something no simulator has (CloudStack's
// MySQL database, ssh into a guest or the management host, a real hypervisor), or they skip themselves
// under CloudStack's own defaults, as they do on CloudStack's simulator. A method counts as one only
// when its failure says so AND the test source has the line that needs it; that line is reported, so a
// polystack gap that happens to fail near an ssh call is not hidden.
import type { ResultRow } from './results.js';

export type ExceptionKind = 'database' | 'ssh' | 'hypervisor' | 'default' | 'refused';

export interface ExceptionHit {
  kind: ExceptionKind;
  line: number;
  text: string;
}

/** What the one-line reason says the method tripped on. */
const REASON: [ExceptionKind, RegExp][] = [
  ['database', /HARNESS-STUB|mysql\.connector|NoDatabase/],
  ['ssh', /\bssh\b|SshClient|paramiko|NoValidConnectionsError|port 22\b/i],
];
/**
 * A skip because Marvin's config holds no ssh credentials for the host (get_host_credentials): the test
 * wanted ssh into the host to reach its router, as CloudStack's simulator CI cannot either.
 */
const HOST_SSH_SKIP = /no host credentials\s+to\s+check router services/i;
/** A skip whose message names a hypervisor: the test itself says the simulator cannot do it. */
const HYPERVISOR_SKIP = /hypervisor|simulator|xenserver|kvm|vmware|vcenter|hyper-v|\blxc\b|licen[cs]e/i;

/**
 * Skips a stock CloudStack 4.18 takes as well, each for a default it ships with: these tests are not among
 * what CloudStack's simulator passes. Only these messages, each with the default behind it.
 */
export const DEFAULT_SKIPS: { message: RegExp; default: string }[] = [
  {
    message: /^Skipping test cases which must only run for veeam$/,
    default: "backup.framework.provider.plugin is 'dummy' (BackupManager), not 'veeam'",
  },
  {
    message: /^Dynamic role-based API checker is enabled/,
    default: 'dynamic roles are on in every install since 4.9 (listCapabilities dynamicrolesenabled=true)',
  },
  {
    message: /^This test requires more than one secondary storage$/,
    default: 'setup/dev/<zone>.cfg gives its zone one secondary storage',
  },
  {
    message: /^Skipping test due to there are less than two zones\.$/,
    default: 'setup/dev/<zone>.cfg describes one zone',
  },
];

/**
 * Methods that fail on state an earlier method of the same class left behind because the database
 * statement that undoes it (the class's own SQL cleanup) could not run: each entry names the failure
 * text, the statement, and why nothing else resets it. The line reported is that statement.
 */
export const DATABASE_KNOCK_ONS: { module: string; message: RegExp; resetBy: RegExp; why: string }[] = [
  {
    module: 'test_outofbandmanagement',
    message: /Out-of-band management is disabled for the host's cluster\. Aborting Operation\./,
    resetBy: /dbclient\.execute\("delete from cluster_details where name='outOfBandManagementEnabled'"\)/,
    why: "test_oobm_enabledisable_across_clusterzones disables the cluster, then stops at its own database call before enabling it again; only tearDown's SQL clears the cluster setting (the same methods pass run alone)",
  },
];

/**
 * Calls CloudStack 4.18 itself refuses in the data center Marvin builds from setup/dev/<zone>.cfg, with the
 * very text polystack answers: the test fails against CloudStack's simulator as well. Each entry names the
 * Java method that refuses and the configuration that makes it refuse; `call` finds the test line.
 */
export const CLOUDSTACK_REFUSALS: { message: RegExp; call: RegExp; source: string }[] = [
  {
    message: /errorText:Unable to find the default physical network with traffic=Public in the specified zone id$/,
    call: /PublicIpRange\.create\(/,
    source:
      "ConfigurationManagerImpl.createVlanAndPublicIpRange → NetworkModelImpl.getDefaultPhysicalNetworkByZoneAndTrafficType: basic.cfg's physical network carries Guest and Management traffic, no Public",
  },
  {
    message: /errorText:Can't have more than one Guest network in zone with network type Basic$/,
    call: /Network\.create\(/,
    source:
      'NetworkOrchestrator.createGuestNetwork: a Basic zone has exactly one guest network, the one Marvin creates with the zone',
  },
  {
    message:
      /errorText:The VLAN tag \d+ is already being used for dynamic vlan allocation for the guest network in zone [^|]+$/,
    call: /Network\.create\(/,
    source:
      'NetworkOrchestrator.createGuestNetwork (dcDao.findVnet, no bypassvlanoverlapcheck): advanced.cfg gives the physical network vlan 100-200 for dynamic allocation',
  },
];

/** The source lines that need each kind. */
const SOURCE: Record<ExceptionKind, RegExp> = {
  database: /\b(dbclient|dbConnection|db_client)\b(?!\s*=[^=])|executeSqlFromFile\(/,
  ssh: /SshClient\(|get_?ssh_?client\(|is_server_ssh_ready\(|\.ssh_client\b/i,
  hypervisor: /skipTest(If)?\(|SkipTest\(|unittest\.skip\(/,
  default: /skipTest(If)?\(|SkipTest\(|unittest\.skip\(/,
  refused: /$^/, // the refusal's own `call` is searched instead
};

interface Block {
  start: number;
  end: number;
} // 0-based line indexes, end exclusive

const indentOf = (l: string) => l.length - l.trimStart().length;

/** The indented block opened by the first line matching `head` within [from, to). */
function block(lines: string[], head: RegExp, from = 0, to = lines.length): Block | undefined {
  for (let i = from; i < to; i++) {
    if (!head.test(lines[i])) continue;
    const ind = indentOf(lines[i]);
    let end = i + 1;
    while (end < to && (lines[end].trim() === '' || indentOf(lines[end]) > ind)) end++;
    // with its decorators (@skipTestIf("hypervisorNotSupported"), @attr(...) over several lines)
    let j = i - 1;
    while (j > from && lines[j].trim() !== '' && (lines[j].trim().startsWith('@') || indentOf(lines[j]) > ind)) j--;
    let start = i;
    for (let k = j + 1; k < i; k++)
      if (lines[k].trim().startsWith('@') && indentOf(lines[k]) === ind) {
        start = k;
        break;
      }
    return { start, end };
  }
  return undefined;
}

function firstMatch(lines: string[], b: Block, re: RegExp): number | undefined {
  for (let i = b.start; i < b.end; i++) {
    const code = lines[i].replace(/#.*$/, '');
    if (re.test(code)) return i;
  }
  return undefined;
}

/** The blocks to search: the method (or the class fixture the failure came from), then the same class's
 *  helpers it calls (`self.helper(`), one level deep. */
function searchBlocks(lines: string[], test: string, reason: string): Block[] {
  const [cls, meth] = test.split('.');
  const c = block(lines, new RegExp(`^class\\s+${cls}\\b`));
  if (!c || !meth) return [];
  const fixture = /^setUpClass:/.test(reason) ? 'setUpClass' : /^tearDownClass:/.test(reason) ? 'tearDownClass' : meth;
  const own = block(lines, new RegExp(`^\\s+def\\s+${fixture}\\s*\\(`), c.start, c.end);
  if (!own) return [];
  const out = [own];
  if (fixture === meth) {
    const setUp = block(lines, /^\s+def\s+setUp\s*\(/, c.start, c.end);
    if (setUp) out.push(setUp);
    // unittest reports a failing tearDown against the method it followed.
    const tearDown = /Exception during cleanup/.test(reason)
      ? block(lines, /^\s+def\s+tearDown\s*\(/, c.start, c.end)
      : undefined;
    if (tearDown) out.push(tearDown);
  }
  const called = new Set<string>();
  for (const b of [...out])
    for (let i = b.start; i < b.end; i++)
      for (const m of lines[i].matchAll(/\b(?:self|cls)\.(\w+)\(/g)) called.add(m[1]);
  for (const name of called) {
    const h = block(lines, new RegExp(`^\\s+def\\s+${name}\\s*\\(`), c.start, c.end);
    if (h) out.push(h);
  }
  return out;
}

/** The exception a non-passing method falls under, with its source line (1-based), or undefined. */
export function findException(row: ResultRow, source: string): ExceptionHit | undefined {
  if (row.status === 'PASS') return undefined;
  let kind: ExceptionKind | undefined;
  const lines = source.split('\n');
  if (row.status === 'SKIP' && HOST_SSH_SKIP.test(row.reason)) {
    // The credentials lookup sits in a helper the test reaches through others: any of the class's will do.
    const c = block(lines, new RegExp(`^class\\s+${row.test.split('.')[0]}\\b`));
    const i = c && firstMatch(lines, c, /get_host_credentials\(/);
    return i === undefined ? undefined : { kind: 'ssh', line: i + 1, text: lines[i].trim() };
  }
  if (row.status === 'SKIP') {
    const said = row.reason.replace(/^(setUpClass|tearDownClass): /, '');
    kind = DEFAULT_SKIPS.some((d) => d.message.test(said))
      ? 'default'
      : HYPERVISOR_SKIP.test(row.reason)
        ? 'hypervisor'
        : undefined;
  } else kind = REASON.find(([, re]) => re.test(row.reason))?.[0];
  const knockOn =
    kind || row.status === 'SKIP'
      ? undefined
      : DATABASE_KNOCK_ONS.find(
          (k) => k.module === row.module && [row.reason, ...(row.failures ?? [])].some((m) => k.message.test(m)),
        );
  if (knockOn) {
    const c = block(lines, new RegExp(`^class\\s+${row.test.split('.')[0]}\\b`));
    return c && atFirst(lines, [c], 'database', [knockOn.resetBy]);
  }
  const refusal =
    kind || row.status === 'SKIP' ? undefined : CLOUDSTACK_REFUSALS.find((r) => r.message.test(row.reason));
  if (refusal) return atFirst(lines, searchBlocks(lines, row.test, row.reason), 'refused', [refusal.call]);
  if (!kind) return undefined;
  // A skip: prefer the line that carries the message (a method may skip for several reasons); Marvin's
  // @skipTestIf("attr") says "Skipping test: Reason - attr".
  const message = row.reason.replace(/^(setUpClass|tearDownClass): /, '');
  const attr = /^Skipping test: Reason - (\w+)/.exec(message)?.[1];
  const said =
    (kind !== 'hypervisor' && kind !== 'default') || !message
      ? undefined
      : attr
        ? new RegExp(`skipTestIf\\(["']${attr}["']`)
        : new RegExp(`([sS]kipTest|skip)\\(.*${escape(message.slice(0, 20))}`);
  return atFirst(lines, searchBlocks(lines, row.test, row.reason), kind, said ? [said, SOURCE[kind]] : [SOURCE[kind]]);
}

/** The first line matching the first pattern that matches anywhere in the blocks, as a hit of `kind`. */
function atFirst(lines: string[], blocks: Block[], kind: ExceptionKind, patterns: RegExp[]): ExceptionHit | undefined {
  for (const re of patterns)
    for (const b of blocks) {
      const i = firstMatch(lines, b, re);
      if (i !== undefined) return { kind, line: i + 1, text: lines[i].trim() };
    }
  return undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
