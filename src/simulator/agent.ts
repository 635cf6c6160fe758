import type { Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { Host, Vm } from '../domain/types.js';
import type { Store } from '../store/db.js';
import { mockStore } from '../store/mock.store.js';

/** The agent commands polystack's simulated hypervisor answers, named as CloudStack's agent API names them. */
export type AgentCommand =
  | 'StartCommand'
  | 'StopCommand'
  | 'RebootCommand'
  | 'MigrateCommand'
  | 'CopyCommand'
  | 'CreateCommand'
  | 'DestroyCommand'
  | 'IpAssocCommand'
  | 'SecurityGroupRulesCmd'
  | 'AttachCommand'
  | 'DettachCommand'
  | 'ResizeVolumeCommand'
  | 'CreateObjectCommand'
  | 'DeleteCommand'
  | 'RevertSnapshotCommand'
  | 'DownloadCommand'
  | 'CreateVMSnapshotCommand'
  | 'RevertToVMSnapshotCommand'
  | 'DeleteVMSnapshotCommand'
  | 'CreateEntityDownloadURLCommand'
  | 'SetupKeyStoreCommand'
  | 'SetupCertificateCommand'
  | 'ReadyCommand'
  | 'GetVmStatsCommand'
  | 'GetAutoScaleMetricsCommand';

export interface AgentOptions {
  /** How long a command takes, in ms of the injected clock, for the transition it serves. */
  delayMs: (transition?: string, vmId?: string, vm?: VmRef) => Promise<number> | number;
}

/** What a command is part of, so its duration can be set per transition and per instance. */
/** What a command's delay depends on of its VM (tags on it, its template or its offering). */
export type VmRef = Pick<Vm, 'id' | 'templateId' | 'serviceOfferingId'>;

export interface AgentContext {
  transition?: string;
  vmId?: string;
  /** That VM as the caller read it, when it has: its delay tags are then looked up without reading it again. */
  vm?: VmRef;
  /** The part of the transition's duration this command takes (a download answers in slices); default all of it. */
  share?: number;
}

/**
 * The fake hypervisor agent. Each command waits the configured delay on the injected clock, then
 * consults the simulator mocks (configureSimulator): `wait:<ms>` adds delay, `result:fail` and
 * `result:fault` make it fail, `count` limits how often a mock fires. Scope is bottom-up:
 * host, cluster, pod, zone.
 */
export class SimulatedAgent {
  constructor(
    private store: Store,
    private clock: Clock,
    private opts: AgentOptions,
  ) {}

  async send(
    command: AgentCommand,
    host: Pick<Host, 'id' | 'clusterId' | 'podId' | 'zoneId'> | undefined,
    ctx: AgentContext = {},
  ): Promise<void> {
    await this.clock.sleep((await this.opts.delayMs(ctx.transition, ctx.vmId, ctx.vm)) * (ctx.share ?? 1));
    // Most commands meet no mock, or one without a count: one read. A counted mock is read again and
    // spent in a transaction.
    const seen = await mockStore.matching(this.store.db, command, host);
    const mock =
      seen?.count === null || seen === undefined
        ? seen
        : await this.store.tx(async (trx) => {
            const m = await mockStore.matching(trx, command, host);
            if (m && m.count !== null) await mockStore.decrement(trx, m.id);
            return m;
          });
    if (!mock) return;
    const opts = parseMockValue(mock.value);
    const wait = Number(opts.get('wait') ?? 0);
    if (wait > 0) await this.clock.sleep(wait);
    const result = opts.get('result');
    if (result === 'fail') throw new DomainError('AgentFailure', `Simulated failure of ${command}`);
    if (result === 'fault') throw new DomainError('AgentFailure', `Simulated fault of ${command}`);
    if (mock.jsonResponse) cannedAnswer(command, mock.jsonResponse);
  }
}

/**
 * A command answered with figures (GetVmStatsCommand, GetAutoScaleMetricsCommand): it takes no time,
 * the mocks apply as to any command (result:fail makes it fail), and `answer` gives the figures.
 */
export async function query<T>(
  agent: SimulatedAgent,
  command: AgentCommand,
  host: Pick<Host, 'id' | 'clusterId' | 'podId' | 'zoneId'> | undefined,
  answer: () => T | Promise<T>,
): Promise<T> {
  await agent.send(command, host, { share: 0 });
  return answer();
}

/**
 * A canned agent answer, `{"com.cloud.agent.api.StartAnswer":{"result":false,"details":"..."}}`:
 * an answer whose result is false fails the command with its details.
 */
function cannedAnswer(command: string, json: string): void {
  const parsed = JSON.parse(json) as Record<string, { result?: boolean; details?: string }>;
  const answer = Object.values(parsed)[0];
  if (answer && answer.result === false)
    throw new DomainError('AgentFailure', answer.details ?? `Simulated failure of ${command}`);
}

/** `result:fail|wait:1000` (the help text says ';', the parser splits on '|'; both are accepted). */
export function parseMockValue(value: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const pair of value.split(/[|;]/)) {
    const i = pair.indexOf(':');
    if (i > 0) m.set(pair.slice(0, i).trim().toLowerCase(), pair.slice(i + 1).trim());
  }
  return m;
}
