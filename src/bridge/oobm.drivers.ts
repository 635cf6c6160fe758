import { execFile } from 'node:child_process';
import { sign, type Pair } from '../cloudstack/signature.js';
import { runtimeFailure } from '../domain/errors.js';
import type { OobmPowerState, PowerOperation } from '../domain/oobm.js';
import type { OobmDriver, OobmDriverAnswer, OobmOptions } from '../services/oobm.driver.js';

/** An answer body is read this far at most: a BMC or a nested cloud has no business sending more. */
const MAX_ANSWER = 1 << 20;

function need(o: OobmOptions, driver: string): Required<{ [K in keyof OobmOptions]: string }> {
  if (!o.address || !o.port || !o.username || !o.password) throw runtimeFailure(`Invalid out-of-band management configuration detected for the ${driver} driver`);
  return { address: o.address, port: o.port, username: o.username, password: o.password };
}

/**
 * NestedCloudStackOutOfBandManagementDriver: the "host" is a VM of another CloudStack cloud, at
 * `address` (its API URL); `port` is the VM's uuid and username/password the API key pair. Power
 * actions start, stop or reboot that VM with a signed GET; STATUS reads its state.
 */
export const nestedCloudStackDriver: OobmDriver = {
  async power(options, op, timeoutSeconds) {
    const o = need(options, 'nested-cloudstack');
    const command = op === 'ON' ? 'startVirtualMachine' : op === 'OFF' || op === 'SOFT' ? 'stopVirtualMachine' : op === 'CYCLE' || op === 'RESET' ? 'rebootVirtualMachine' : 'listVirtualMachines';
    const pairs: Pair[] = [['command', command], ['response', 'json'], ['forced', 'true'], ['id', o.port], ['apiKey', o.username]];
    pairs.push(['signature', sign(pairs, o.password)]);
    let url: URL;
    try {
      url = new URL(o.address);
    } catch {
      return { success: false, error: `invalid address ${o.address}` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { success: false, error: `invalid address ${o.address}` };
    url.search = new URLSearchParams(pairs).toString();
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(timeoutSeconds * 1000), redirect: 'error' });
    } catch (err) {
      return { success: false, error: `Nested CloudStack oobm plugin failed to reach ${o.address}: ${(err as Error).message}` };
    }
    const text = (await res.text()).slice(0, MAX_ANSWER);
    if (res.status < 200 || res.status >= 300) return { success: false, result: text, error: `HTTP error code: ${res.status}`, authFailure: res.status === 401 };
    return { success: true, result: text, ...(op === 'STATUS' ? { powerState: nestedVmPowerState(text) } : {}) };
  },
  async changePassword() {
    throw runtimeFailure('Change password operation is not supported by the nested-cloudstack out-of-band management driver');
  },
};

/** getNestedVMPowerState: Running is On, Stopped is Off, anything else (or no answer) Unknown. */
export function nestedVmPowerState(text: string): OobmPowerState {
  try {
    const vm = JSON.parse(text)?.listvirtualmachinesresponse?.virtualmachine?.[0];
    return vm?.state === 'Running' ? 'On' : vm?.state === 'Stopped' ? 'Off' : 'Unknown';
  } catch {
    return 'Unknown';
  }
}

const IPMI_VERB: Record<PowerOperation, string> = { ON: 'on', OFF: 'off', CYCLE: 'cycle', RESET: 'reset', SOFT: 'soft', STATUS: 'status' };

function ipmitool(o: ReturnType<typeof need>, args: string[], timeoutSeconds: number): Promise<{ ok: boolean; out: string; err: string }> {
  // IpmitoolOutOfBandManagementDriver's command line: lanplus, one retry, the BMC's address and credentials.
  const base = ['-I', 'lanplus', '-R', '1', '-v', '-H', o.address, '-p', o.port, '-U', o.username, '-P', o.password];
  return new Promise((done) => {
    execFile('ipmitool', [...base, ...args], { timeout: timeoutSeconds * 1000, maxBuffer: MAX_ANSWER }, (err, stdout, stderr) => {
      const missing = (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      done({ ok: !err, out: String(stdout).trim(), err: missing ? 'ipmitool is not installed on the management server' : String(stderr || err?.message || '').trim() });
    });
  });
}

/** IpmitoolOutOfBandManagementDriver: runs `ipmitool` (from PATH) against the host's BMC. */
export const ipmitoolDriver: OobmDriver = {
  async power(options, op, timeoutSeconds) {
    const r = await ipmitool(need(options, 'ipmitool'), ['chassis', 'power', IPMI_VERB[op]], timeoutSeconds);
    if (!r.ok) return { success: false, error: r.err, authFailure: /authentication|password/i.test(r.err) };
    const answer: OobmDriverAnswer = { success: true, result: r.out };
    if (op === 'STATUS') answer.powerState = /Chassis Power is on/i.test(r.out) ? 'On' : /Chassis Power is off/i.test(r.out) ? 'Off' : 'Unknown';
    return answer;
  },
  async changePassword(options, newPassword, timeoutSeconds) {
    const o = need(options, 'ipmitool');
    // The user's id on the BMC comes from `user list`, as the driver finds it before `user set password`.
    const list = await ipmitool(o, ['user', 'list'], timeoutSeconds);
    if (!list.ok) return { success: false, error: list.err };
    const row = list.out.split('\n').map((l) => l.trim().split(/\s+/)).find((cols) => cols[1] === o.username);
    if (!row) return { success: false, error: `Could not find user id for the user ${o.username} on the BMC` };
    const set = await ipmitool(o, ['user', 'set', 'password', row[0]!, newPassword], timeoutSeconds);
    return set.ok ? { success: true, result: set.out } : { success: false, error: set.err };
  },
};

/** The drivers polystack has, by the name configureOutOfBandManagement takes (lower case). */
export const OOBM_DRIVER_IMPLS: Record<string, OobmDriver> = { ipmitool: ipmitoolDriver, nestedcloudstack: nestedCloudStackDriver };
