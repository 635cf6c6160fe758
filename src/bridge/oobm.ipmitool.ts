import { execFile } from 'node:child_process';
import { runtimeFailure } from '../domain/errors.js';
import type { OobmPowerState, PowerOperation } from '../domain/oobm.js';
import type { OobmDriver, OobmDriverAnswer, OobmOptions } from '../services/infrastructure/oobm.driver.js';

/** What ipmitool may print: a BMC has no business sending more. */
const MAX_OUTPUT = 1 << 20;

interface Run {
  success: boolean;
  result: string;
  error: string;
}
type Given = { address: string; port: string; username: string; password: string };

function need(o: OobmOptions): Given {
  if (!o.address || !o.port || !o.username || !o.password)
    throw runtimeFailure('Invalid out-of-band management configuration detected for the ipmitool driver');
  return { address: o.address, port: o.port, username: o.username, password: o.password };
}

/**
 * IpmitoolWrapper.executeCommands through ProcessRunner: stdout is the result and stderr the error, both
 * as printed (untrimmed); success is exit status 0. Past the timeout the process is ended and the error
 * is ProcessRunner's own sentence.
 */
function ipmitool(o: Given, args: string[], timeoutSeconds: number): Promise<Run> {
  // getIpmiToolCommandArgs: interface lanplus and retries 1 (the outofbandmanagement.ipmitool.* defaults), -v, then the options.
  const argv = [
    '-I',
    'lanplus',
    '-R',
    '1',
    '-v',
    '-H',
    o.address,
    '-p',
    o.port,
    '-U',
    o.username,
    '-P',
    o.password,
    ...args,
  ];
  return new Promise((done) => {
    execFile('ipmitool', argv, { timeout: timeoutSeconds * 1000, maxBuffer: MAX_OUTPUT }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
      // The driver checks `ipmitool -V` first and answers this when there is no ipmitool to run.
      if (e?.code === 'ENOENT')
        done({
          success: false,
          result: '',
          error: 'Aborting operation due to ipmitool binary not available for execution',
        });
      else if (e?.killed) done({ success: false, result: '', error: 'Operation timed out, aborted.' });
      else done({ success: !e, result: String(stdout), error: String(stderr) });
    });
  });
}

/** IpmitoolWrapper.parsePowerState: the whole (trimmed) answer must be ipmitool's sentence. */
export function ipmiPowerState(stdout: string): OobmPowerState {
  const out = stdout.trim();
  return out === 'Chassis Power is on' ? 'On' : out === 'Chassis Power is off' ? 'Off' : 'Unknown';
}

/**
 * IpmitoolWrapper.findIpmiUser over `ipmitool user list`: the ID and Name columns are found by the
 * legend's words (first and second by default), rows split on spaces; the last row naming the user wins.
 */
export function findIpmiUser(usersList: string, username: string): string | undefined {
  const lines = usersList.split(/\r?\n/);
  while (lines.length && lines.at(-1) === '') lines.pop(); // as Java's split drops trailing empty strings
  if (lines.length < 2) throw runtimeFailure('Error parsing user ID from ipmi user listing');
  const legends = lines[0]!.split(/ +/);
  const idIndex = Math.max(0, legends.lastIndexOf('ID'));
  const nameIndex = legends.includes('Name') ? legends.lastIndexOf('Name') : 1;
  let id: string | undefined;
  for (const line of lines.slice(1)) {
    const words = line.split(/ +/);
    if (words[nameIndex] === username && words[idIndex] !== undefined) id = words[idIndex];
  }
  return id;
}

/** IpmitoolOutOfBandManagementDriver.execute: only ipmitool's RAKP 2 complaint is an authentication failure. */
function answer(run: Run, extra: Partial<OobmDriverAnswer> = {}): OobmDriverAnswer {
  if (run.success) return { success: true, result: run.result, ...extra };
  return {
    success: false,
    result: run.result,
    error: run.error,
    ...(run.error.includes('RAKP 2 HMAC is invalid') ? { authFailure: true } : {}),
  };
}

const VERB: Record<PowerOperation, string> = {
  ON: 'on',
  OFF: 'off',
  CYCLE: 'cycle',
  RESET: 'reset',
  SOFT: 'soft',
  STATUS: 'status',
};

/** IpmitoolOutOfBandManagementDriver: runs `ipmitool` (from PATH) against the host's BMC. */
export const ipmitoolDriver: OobmDriver = {
  async power(options, op, timeoutSeconds) {
    const run = await ipmitool(need(options), ['chassis', 'power', VERB[op]], timeoutSeconds);
    return answer(run, run.success && op === 'STATUS' ? { powerState: ipmiPowerState(run.result) } : {});
  },
  async changePassword(options, newPassword, timeoutSeconds) {
    const o = need(options);
    // getIpmiUserId: the BMC's id for the configured user, from `user list`; its failures are thrown.
    const list = await ipmitool(o, ['user', 'list'], timeoutSeconds);
    if (!list.success) throw runtimeFailure(`Failed to find IPMI user to change password, error: ${list.error}`);
    const id = findIpmiUser(list.result, o.username);
    if (!id) throw runtimeFailure(`No IPMI user ID found for the username: ${o.username}`);
    return answer(await ipmitool(o, ['user', 'set', 'password', id, newPassword], timeoutSeconds));
  },
};
