import type { Clock } from '../../domain/clock.js';
import { invalid, runtimeFailure } from '../../domain/errors.js';
import {
  nextPowerState,
  POWER_OPERATIONS,
  powerEvent,
  type Oobm,
  type OobmEvent,
  type PowerOperation,
} from '../../domain/oobm.js';
import type { Host } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { hostStore } from '../../store/host.store.js';
import { oobmStore } from '../../store/oobm.store.js';
import { clusterRows, zoneRows } from '../../store/datacenter.store.js';
import type { ConfigService } from './config.service.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { OOBM_AUTH_ERROR, type AlertService } from './alert.service.js';
import type { OobmDriver, OobmOptions } from './oobm.driver.js';

export const OOBM_JOBS = {
  enable: 'oobm.enable',
  disable: 'oobm.disable',
  power: 'oobm.power',
  password: 'oobm.password',
} as const;

export type OobmScopeKind = 'Host' | 'Cluster' | 'Zone';
export interface ConfigureOptions {
  driver?: string;
  address?: string;
  port?: string;
  username?: string;
  password?: string;
}
/** What a job's answer adds to the host's configuration (OutOfBandManagementResponse's result fields). */
export interface OobmOutcome {
  enabled?: boolean;
  status: boolean;
  description?: string;
  action?: string;
  hostid?: string;
}

/** outofbandmanagement.action.timeout: seconds a driver action may take, per cluster (OutOfBandManagementService.ActionTimeout). */
export const ACTION_TIMEOUT = 'outofbandmanagement.action.timeout';

/**
 * OutOfBandManagementServiceImpl: a host's BMC configuration, switched on and off per host, cluster and
 * zone, and power actions through the configured driver, which move the recorded power state.
 */
export class OobmService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
    private drivers: Record<string, OobmDriver>,
    private alerts: AlertService,
  ) {}

  /** hostAlertCache: a host's BMC auth error is alerted once, until its out-of-band management is switched on or off again. */
  private authAlerted = new Set<string>();

  register(jobs: JobEngine): void {
    jobs.register<{ kind: OobmScopeKind; id: string }>(OOBM_JOBS.enable, ({ caller, params }) =>
      this.setEnabled(caller, params.kind, params.id, true),
    );
    jobs.register<{ kind: OobmScopeKind; id: string }>(OOBM_JOBS.disable, ({ caller, params }) =>
      this.setEnabled(caller, params.kind, params.id, false),
    );
    jobs.register<{ id: string; action: string; timeout?: number }>(OOBM_JOBS.power, ({ caller, params }) =>
      this.power(caller, params.id, params.action, params.timeout),
    );
    jobs.register<{ id: string; password?: string }>(OOBM_JOBS.password, ({ caller, params }) =>
      this.changePassword(caller, params.id, params.password),
    );
  }

  async submit(
    caller: Caller,
    cmd: string,
    kind: keyof typeof OOBM_JOBS,
    params: { id: string } & Record<string, unknown>,
    instanceType: OobmScopeKind,
  ): Promise<string> {
    return this.jobs.run(caller, { cmd, kind: OOBM_JOBS[kind], params, instanceType, instanceId: params.id });
  }

  forHost(hostId: string): Promise<Oobm | undefined> {
    return oobmStore.forHost(this.store.db, hostId);
  }

  /** configure(host, options): made on first use, options given replace those kept; the driver must exist. */
  async configure(caller: Caller, hostId: string, o: ConfigureOptions): Promise<Oobm> {
    return this.store.tx(async (trx) => {
      const host = await this.host(trx, hostId);
      const old = await oobmStore.forHost(trx, host.id);
      const row: Oobm = old ?? {
        id: host.id,
        enabled: 0,
        powerState: 'Disabled',
        driver: null,
        address: null,
        port: null,
        username: null,
        password: null,
        created: this.clock.now(),
      };
      for (const k of ['driver', 'address', 'port', 'username', 'password'] as const) if (o[k]) row[k] = o[k]!;
      if (!row.driver || !this.drivers[row.driver.toLowerCase()])
        throw runtimeFailure('Out-of-band management driver is not available. Please provide a valid driver name.');
      await oobmStore.save(trx, row);
      await this.event(
        trx,
        caller,
        'HOST.OOBM.CONFIGURE',
        `host id:${host.id} configuration:${row.address}:${row.port}`,
        host.id,
      );
      return row;
    });
  }

  private async setEnabled(caller: Caller, kind: OobmScopeKind, id: string, enabled: boolean): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      if (kind === 'Host') {
        const host = await this.host(trx, id);
        const row = await oobmStore.forHost(trx, host.id);
        if (!row)
          throw runtimeFailure(
            'Out-of-band management is not configured for the host. Please configure the host before enabling/disabling it.',
          );
        this.authAlerted.delete(host.id);
        await oobmStore.save(trx, {
          ...row,
          enabled: enabled ? 1 : 0,
          powerState: nextPowerState(row.powerState, 'Disabled') ?? row.powerState,
        });
      } else {
        await oobmStore.setScope(trx, id, enabled);
        // Switching a zone or cluster off forgets what its hosts' BMCs last said (transitionPowerStateToDisabled).
        if (!enabled)
          await this.transitionAll(
            trx,
            kind === 'Zone'
              ? await hostStore.list(trx, { zoneId: id }).then((p) => p.items)
              : await hostStore.inCluster(trx, id),
            'Disabled',
          );
      }
      await this.event(
        trx,
        caller,
        enabled ? 'HOST.OOBM.ENABLE' : 'HOST.OOBM.DISABLE',
        `${kind} id:${id} out-of-band management enabled: ${enabled}`,
        id,
        kind,
      );
    });
    return this.outcome(id, { enabled, status: true, ...(kind === 'Host' ? { hostid: id } : {}) });
  }

  private async transitionAll(db: Db, hosts: Host[], event: OobmEvent): Promise<void> {
    for (const h of hosts) {
      const row = await oobmStore.forHost(db, h.id);
      const next = row && nextPowerState(row.powerState, event);
      if (next) await oobmStore.setPowerState(db, [h.id], next);
    }
  }

  /** checkOutOfBandManagementEnabledByZoneClusterHost's refusal, or undefined when the host's BMC may be used. */
  private async disabledReason(db: Db, host: Host, row: Oobm | undefined): Promise<string | undefined> {
    if (!(await oobmStore.scopeEnabled(db, host.zoneId)))
      return "Out-of-band management is disabled for the host's zone. Aborting Operation.";
    if (host.clusterId && !(await oobmStore.scopeEnabled(db, host.clusterId)))
      return "Out-of-band management is disabled for the host's cluster. Aborting Operation.";
    if (!row || !row.enabled || host.resourceState === 'Degraded')
      return 'Out-of-band management is disabled or not configured for the host. Aborting Operation.';
    return undefined;
  }

  private async checkEnabled(db: Db, host: Host): Promise<Oobm> {
    const row = await oobmStore.forHost(db, host.id);
    const why = await this.disabledReason(db, host, row);
    if (why) throw runtimeFailure(why);
    return row!;
  }

  /**
   * OutOfBandManagementPowerStatePollTask (every 4 s in CloudStack, BackgroundPollManagerImpl's round delay):
   * each configured host whose BMC may be used is read again with STATUS, moving its recorded power
   * state; one switched off (itself, its cluster or zone) that still shows a power state goes Disabled.
   * A read that fails only moves the state (to Unknown), as PowerOperationTask swallows the error.
   */
  async syncPowerStates(): Promise<void> {
    for (const row of await oobmStore.all(this.store.db)) {
      const host = await hostStore.get(this.store.db, row.id);
      if (!host) continue;
      if (!(await this.disabledReason(this.store.db, host, row))) {
        const driver = row.driver && this.drivers[row.driver.toLowerCase()];
        // One host's failing driver (an incomplete configuration throws) does not stop the others.
        if (driver)
          await this.readPower(host, row, driver, 'STATUS', this.timeout(host))
            .then((a) => (a.authFailure ? this.authAlert(host) : undefined))
            .catch(() => undefined);
      } else if (row.powerState !== 'Disabled') {
        await this.transitionAll(this.store.db, [host], 'Disabled');
      }
    }
  }

  /** The driver acts; a STATUS moves the recorded power state by what it read (driverResponse.toEvent). */
  private async readPower(host: Host, row: Oobm, driver: OobmDriver, op: PowerOperation, timeout: number) {
    const answer = await driver.power(options(row), op, timeout);
    if (op === 'STATUS') {
      const event: OobmEvent = answer.authFailure
        ? 'AuthError'
        : answer.success
          ? powerEvent(answer.powerState ?? 'Unknown')
          : 'Unknown';
      await this.store.tx(async (trx) => {
        const now = await oobmStore.forHost(trx, host.id);
        const next = now && nextPowerState(now.powerState, event);
        if (next) await oobmStore.setPowerState(trx, [host.id], next);
      });
    }
    return answer;
  }

  private driverOf(row: Oobm): OobmDriver {
    const d = row.driver && this.drivers[row.driver.toLowerCase()];
    if (!d)
      throw runtimeFailure(
        'Configured out-of-band management driver is not available. Aborting any out-of-band management action.',
      );
    return d;
  }

  private timeout(host: Host, given?: number): number {
    return (
      given ??
      this.config.numIn(ACTION_TIMEOUT, host.clusterId ? { scope: 'Cluster', id: host.clusterId } : undefined, 60)
    );
  }

  /** executePowerOperation: the driver acts (readPower); a failure is the job's error. */
  private async power(caller: Caller, hostId: string, action: string, timeout?: number): Promise<JobResult> {
    // PowerOperation.valueOf: exact names only, and Java's own message otherwise.
    if (!(POWER_OPERATIONS as readonly string[]).includes(action))
      throw runtimeFailure(
        `No enum constant org.apache.cloudstack.outofbandmanagement.OutOfBandManagement.PowerOperation.${action}`,
      );
    const op = action as PowerOperation;
    const host = await this.host(this.store.db, hostId);
    const row = await this.checkEnabled(this.store.db, host);
    const answer = await this.readPower(host, row, this.driverOf(row), op, this.timeout(host, timeout));
    await this.store.tx((trx) =>
      this.event(trx, caller, 'HOST.OOBM.ACTION', `Host Id: ${host.id} Action: ${op}`, host.id),
    );
    if (!answer.success) {
      const why = answer.authFailure
        ? `failed due to authentication error: ${answer.error}. Please check configured credentials.`
        : `failed with error: ${answer.error}`;
      const message = `Out-of-band Management action (${op}) on host (${host.id}) ${why}`;
      if (answer.authFailure) await this.authAlert(host);
      throw runtimeFailure(message);
    }
    return this.outcome(host.id, { status: true, description: answer.result, action: op, hostid: host.id });
  }

  /** sendAuthError: an ALERT.OOBM.AUTHERROR for the host's zone and pod, once per host (ids are uuids here where CloudStack prints its numeric ones). */
  private async authAlert(host: Host): Promise<void> {
    if (this.authAlerted.has(host.id)) return;
    this.authAlerted.add(host.id);
    const subject = `Out-of-band management auth-error detected for host ${host.id} in cluster [id: ${host.clusterId}] and zone [id: ${host.zoneId}].`;
    await this.store.tx((trx) =>
      this.alerts.raise(trx, { type: OOBM_AUTH_ERROR, subject, zoneId: host.zoneId, podId: host.podId ?? null }),
    );
  }

  /** changePassword: kept only when the driver changed it on the BMC too (one transaction in CloudStack). */
  private async changePassword(caller: Caller, hostId: string, password?: string): Promise<JobResult> {
    const host = await this.host(this.store.db, hostId);
    const row = await this.checkEnabled(this.store.db, host);
    if (!password)
      throw runtimeFailure(
        `Cannot change out-of-band management password as provided new-password is null or empty for the host ${host.id}.`,
      );
    if (!row.password)
      throw runtimeFailure(
        `Cannot change out-of-band management password as we've no previously configured password for the host ${host.id}.`,
      );
    const driver = this.driverOf(row);
    let answer;
    try {
      answer = await driver.changePassword(options(row), password, this.timeout(host));
    } catch (e) {
      throw runtimeFailure(
        `Failed to change out-of-band management password for host (${host.id}) due to driver error: ${(e as Error).message}`,
      );
    }
    if (!answer.success)
      throw runtimeFailure(
        `Failed to change out-of-band management password for host (${host.id}) with error: ${answer.error}`,
      );
    await this.store.tx(async (trx) => {
      await oobmStore.save(trx, { ...row, password });
      await this.event(
        trx,
        caller,
        'HOST.OOBM.CHANGEPASSWORD',
        `updating out-of-band management password for host ${host.id}`,
        host.id,
      );
    });
    return this.outcome(host.id, { status: true, hostid: host.id });
  }

  private outcome(id: string, data: OobmOutcome): JobResult {
    return { type: 'object', instanceType: 'OutOfBandManagement', id, data: { ...data } };
  }

  private async host(db: Db, id: string): Promise<Host> {
    const h = await hostStore.get(db, id);
    if (!h) throw invalid(`Unable to find host by ID: ${id}`, 'hostid');
    return h;
  }

  /** Whether a zone or cluster exists (enable/disable refuse an unknown one before a job is made). */
  async scopeExists(kind: 'Zone' | 'Cluster', id: string): Promise<boolean> {
    return !!(await (kind === 'Zone' ? zoneRows : clusterRows).get(this.store.db, id));
  }

  private async event(
    db: Db,
    caller: Caller,
    type: string,
    description: string,
    resourceId: string,
    resourceType: OobmScopeKind = 'Host',
  ): Promise<void> {
    await eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId,
      resourceType,
    });
  }
}

const options = (r: Oobm): OobmOptions => ({
  address: r.address,
  port: r.port,
  username: r.username,
  password: r.password,
});
