import { hostname, release, type as osType, uptime } from 'node:os';
import type { ManagementServer } from '../domain/cluster.js';
import { newId } from '../domain/ids.js';
import type { Store } from '../store/db.js';
import { jobStore } from '../store/job.store.js';
import { nodeStore } from '../store/node.store.js';

export interface NodeOptions {
  /** Unique per node; a node restarted under the same name takes its jobs back at once. */
  name?: string;
  serviceIp?: string;
  servicePort?: number;
  /** How often a node says it is alive (POLYSTACK_NODE_HEARTBEAT_MS, default 1000). */
  heartbeatMs?: number;
  /** Silence after which the others declare it Down and take its jobs (POLYSTACK_NODE_DEAD_MS, default 10000). */
  deadAfterMs?: number;
  version?: string;
}

const envMs = (name: string, fallback: number): number => {
  const v = Number(process.env[name] ?? '');
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/**
 * This process as a member of the cloud's management-server cluster: a row that heartbeats, and a
 * watch on the others. A node silent for `deadAfterMs` is marked Down and every pending job it
 * owned goes back to the queue, where any node claims it and its handler resumes or rolls back.
 * Liveness is wall-clock time, not the cloud's virtual clock, which tests move at will.
 */
export class ClusterNode {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  node: ManagementServer | undefined;

  constructor(
    private store: Store,
    readonly runId: string,
    private opts: NodeOptions,
    private onReleased: () => void,
    private log: (msg: string, err?: unknown) => void,
  ) {}

  get heartbeatMs(): number {
    return this.opts.heartbeatMs ?? envMs('POLYSTACK_NODE_HEARTBEAT_MS', 1000);
  }
  get deadAfterMs(): number {
    return this.opts.deadAfterMs ?? envMs('POLYSTACK_NODE_DEAD_MS', 10_000);
  }

  async join(): Promise<void> {
    const now = Date.now();
    const row: ManagementServer = {
      id: newId(),
      runId: this.runId,
      name: this.opts.name ?? `${hostname()}:${process.pid}`,
      serviceIp: this.opts.serviceIp ?? '127.0.0.1',
      servicePort: this.opts.servicePort ?? 0,
      version: this.opts.version ?? '4.18.0.0',
      state: 'Up',
      runtime: 'Node.js',
      runtimeVersion: process.versions.node,
      osDistribution: osType(),
      kernelVersion: release(),
      lastServerStart: now,
      lastServerStop: null,
      lastBootTime: Math.round(now - uptime() * 1000),
      lastHeartbeat: now,
    };
    const node = await nodeStore.register(this.store.control, row);
    this.node = node;
    // One SQLite file serves one process: any other node recorded in it has gone.
    if (this.store.dialect === 'sqlite') await nodeStore.markOthersDown(this.store.control, node.id, now);
    await this.reclaim();
    this.timer = setInterval(() => void this.tick(), this.heartbeatMs);
    this.timer.unref();
  }

  async setAddress(ip: string, port: number): Promise<void> {
    if (this.node) await nodeStore.setAddress(this.store.control, this.node.id, ip, port);
  }

  /** Heartbeat, then declare the silent Down and requeue what they held. */
  async tick(): Promise<void> {
    if (this.ticking || !this.node) return;
    this.ticking = true;
    try {
      const now = Date.now();
      const me = await nodeStore.heartbeat(this.store.control, this.node.id, this.runId, now);
      if (!me) {
        // Our row is gone (or a newer run took the name): say who we are again.
        this.log(`node ${this.node.name}: its row was missing or taken; registering again`);
        this.node = await nodeStore.register(this.store.control, {
          ...this.node,
          runId: this.runId,
          state: 'Up',
          lastHeartbeat: now,
        });
      } else if (me.state !== 'Up') {
        // Declared dead while alive (a long pause): its jobs went to others; it rejoins for new ones.
        this.log(`node ${this.node.name} was declared Down by the cluster; rejoining`);
        await nodeStore.setState(this.store.control, this.node.id, this.runId, { state: 'Up', lastServerStart: now });
      }
      await jobStore.heartbeat(this.store.control, this.runId, now);
      const gone = await nodeStore.markSilentDown(this.store.control, now - this.deadAfterMs);
      if (gone.length) this.log(`nodes declared Down after ${this.deadAfterMs} ms of silence: ${gone.join(', ')}`);
      await this.reclaim();
    } catch (e) {
      this.log('cluster heartbeat failed', e);
    } finally {
      this.ticking = false;
    }
  }

  private async reclaim(): Promise<void> {
    if ((await jobStore.releaseOrphans(this.store.control)) > 0) {
      await this.store.signals.publish('jobs');
      this.onReleased();
    }
  }

  /** A clean stop: Down at once, and whatever it still held goes back to the queue for the others. */
  async leave(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.node) return;
    await nodeStore.setState(this.store.control, this.node.id, this.runId, {
      state: 'Down',
      lastServerStop: Date.now(),
    });
    if ((await jobStore.release(this.store.control, this.runId)) > 0) await this.store.signals.publish('jobs');
    this.node = undefined;
  }
}
