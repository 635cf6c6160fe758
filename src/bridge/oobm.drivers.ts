import { sign, type Pair } from '../cloudstack/signature.js';
import { runtimeFailure } from '../domain/errors.js';
import type { OobmPowerState } from '../domain/oobm.js';
import type { OobmDriver, OobmOptions } from '../services/infrastructure/oobm.driver.js';
import { ipmitoolDriver } from './oobm.ipmitool.js';

/** An answer body is read this far at most: a nested cloud has no business sending more. */
const MAX_ANSWER = 1 << 20;

function need(o: OobmOptions, driver: string): Required<{ [K in keyof OobmOptions]: string }> {
  if (!o.address || !o.port || !o.username || !o.password)
    throw runtimeFailure(`Invalid out-of-band management configuration detected for the ${driver} driver`);
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
    const command =
      op === 'ON'
        ? 'startVirtualMachine'
        : op === 'OFF' || op === 'SOFT'
          ? 'stopVirtualMachine'
          : op === 'CYCLE' || op === 'RESET'
            ? 'rebootVirtualMachine'
            : 'listVirtualMachines';
    const pairs: Pair[] = [
      ['command', command],
      ['response', 'json'],
      ['forced', 'true'],
      ['id', o.port],
      ['apiKey', o.username],
    ];
    pairs.push(['signature', sign(pairs, o.password)]);
    let url: URL;
    try {
      url = new URL(o.address);
    } catch {
      return { success: false, error: `invalid address ${o.address}` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { success: false, error: `invalid address ${o.address}` };
    url.search = new URLSearchParams(pairs).toString();
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(timeoutSeconds * 1000), redirect: 'error' });
    } catch (err) {
      return {
        success: false,
        error: `Nested CloudStack oobm plugin failed to reach ${o.address}: ${(err as Error).message}`,
      };
    }
    const text = (await res.text()).slice(0, MAX_ANSWER);
    if (res.status < 200 || res.status >= 300)
      return { success: false, result: text, error: `HTTP error code: ${res.status}`, authFailure: res.status === 401 };
    return { success: true, result: text, ...(op === 'STATUS' ? { powerState: nestedVmPowerState(text) } : {}) };
  },
  async changePassword() {
    throw runtimeFailure(
      'Change password operation is not supported by the nested-cloudstack out-of-band management driver',
    );
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

/** The drivers polystack has, by the name configureOutOfBandManagement takes (lower case). */
export const OOBM_DRIVER_IMPLS: Record<string, OobmDriver> = {
  ipmitool: ipmitoolDriver,
  nestedcloudstack: nestedCloudStackDriver,
};
