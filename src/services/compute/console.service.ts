import { randomBytes } from 'node:crypto';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { systemVmStore, systemVmRows } from '../../store/systemvm.store.js';
import { vmStore } from '../../store/vm.store.js';
import { assertAccess, isRootAdmin, type Caller } from '../../domain/caller.js';
import { routerRows } from '../../store/router.store.js';

/** ConsoleEndpoint: a console URL and its websocket, or why there is none (success false, details). */
export interface ConsoleEndpoint {
  success: boolean;
  details?: string;
  url?: string;
  websocket?: { host: string; port: string; path: string; token: string; extra?: string };
}

/** ConsoleProxyManager's VNC port (the noVNC websocket of the console proxy VM). */
const PROXY_VNC_PORT = 8080;
const NOT_RUNNING = new Set(['Stopped', 'Error', 'Destroyed', 'Expunging']);

/**
 * createConsoleEndpoint (ConsoleAccessManagerImpl.generateConsoleEndpoint): a refusal or failure is an
 * answer with success false and the reason, not an API error. The URL points at the zone's console
 * proxy VM as CloudStack's does; polystack runs no VNC behind it, so the token opens nothing.
 */
export class ConsoleService {
  constructor(private store: Store) {}

  async endpoint(caller: Caller, vmId: string, extraToken?: string): Promise<ConsoleEndpoint> {
    const db = this.store.db;
    const vm = await vmStore.get(db, vmId);
    const system = vm ? undefined : ((await systemVmRows.get(db, vmId)) ?? (await routerRows.get(db, vmId)));
    if ((!vm || vm.removed) && (!system || system.removed)) throw notFound('VirtualMachine', vmId, 'virtualmachineid');
    if (!isRootAdmin(caller)) {
      // System VMs and routers are root admins' only; a user VM needs the access checkAccess grants.
      if (!vm) return { success: false, details: 'Permission denied' };
      try {
        assertAccess(caller, vm, 'VirtualMachine', vm.id);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'Forbidden') return { success: false, details: 'Permission denied' };
        throw e;
      }
    }
    const target = (vm ?? system)!;
    const fail = (why: string): ConsoleEndpoint => ({ success: false, details: `Server Internal Error: ${why}` });
    if (NOT_RUNNING.has(target.state))
      return fail(`VM ${vmId} must be running to connect console, sending blank response for console access request`);
    if (!target.hostId) return fail(`VM ${vmId} lost host info, sending blank response for console access request`);
    const proxy = (await systemVmStore.ofZone(db, target.zoneId)).find(
      (p) => p.type === 'consoleproxy' && p.state === 'Running' && p.publicIp,
    );
    if (!proxy?.publicIp) return fail('Console access will be ready in a few minutes. Please try it again later.');
    const token = randomBytes(32).toString('base64url');
    const extra = extraToken ? `&extra=${extraToken}` : '';
    return {
      success: true,
      url: `http://${proxy.publicIp}/resource/noVNC/vnc.html?autoconnect=true&port=${PROXY_VNC_PORT}&token=${token}${extra}`,
      websocket: {
        host: proxy.publicIp,
        port: String(PROXY_VNC_PORT),
        path: 'websockify',
        token,
        ...(extraToken ? { extra: extraToken } : {}),
      },
    };
  }
}
