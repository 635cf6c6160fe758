import type { Server } from 'node:net';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/db.js';
import { metricsStore } from '../store/metrics.store.js';
import type { Answered } from './http.js';

const JOB_STATES: Record<number, string> = { 0: 'pending', 1: 'succeeded', 2: 'failed' };

/**
 * Prometheus metrics, one registry per server: requests by front, operation and status with
 * their latency, and — read from the database at each scrape — jobs by state, VMs by state and
 * capacity per zone (what listCapacity reports: CPU, memory, primary storage, public addresses,
 * guest VLANs).
 */
export class Metrics {
  readonly registry = new Registry();
  private requests = new Counter({
    name: 'polystack_http_requests_total',
    help: 'Requests answered, by front, operation (command, action or method) and HTTP status.',
    labelNames: ['front', 'operation', 'status'] as const,
    registers: [this.registry],
  });
  private latency = new Histogram({
    name: 'polystack_http_request_duration_seconds',
    help: 'Time from request to answer, by front and operation.',
    labelNames: ['front', 'operation'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private jobs = new Gauge({
    name: 'polystack_jobs',
    help: 'Async jobs in the database by state.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private vms = new Gauge({
    name: 'polystack_vms',
    help: 'Virtual machines (not expunged) by state.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private total = new Gauge({
    name: 'polystack_capacity_total',
    help: 'Capacity per zone by type: cpu_mhz, memory_bytes, storage_bytes, public_ips.',
    labelNames: ['zone', 'type'] as const,
    registers: [this.registry],
  });
  private used = new Gauge({
    name: 'polystack_capacity_used',
    help: 'Capacity in use per zone by type: cpu_mhz, memory_bytes, storage_bytes, public_ips, guest_vlans.',
    labelNames: ['zone', 'type'] as const,
    registers: [this.registry],
  });

  private refused = new Counter({
    name: 'polystack_http_connections_refused_total',
    help: 'Connections closed on arrival because POLYSTACK_MAX_CONNECTIONS were open.',
    registers: [this.registry],
  });

  constructor(
    private store: Store,
    running: () => number,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'polystack_' });
    new Gauge({
      name: 'polystack_jobs_running',
      help: 'Jobs this process is running now.',
      registers: [this.registry],
      collect() {
        this.set(running());
      },
    });
  }

  /** The exposition text, with the database figures read now. */
  async scrape(): Promise<string> {
    const db = this.store.db;
    const [jobs, vms, hosts, storage, ips, vlans] = await Promise.all([
      metricsStore.jobsByStatus(db),
      metricsStore.vmsByState(db),
      metricsStore.hostsByZone(db),
      metricsStore.storageByZone(db),
      metricsStore.publicIpsByZone(db),
      metricsStore.guestVlansByZone(db),
    ]);
    for (const state of Object.values(JOB_STATES)) this.jobs.set({ state }, 0);
    for (const r of jobs) this.jobs.set({ state: JOB_STATES[r.status] ?? String(r.status) }, Number(r.n));
    this.vms.reset();
    for (const r of vms) this.vms.set({ state: r.state }, Number(r.n));
    this.total.reset();
    this.used.reset();
    const both = (zone: string, type: string, total: number | undefined, used: number) => {
      if (total !== undefined) this.total.set({ zone, type }, total);
      this.used.set({ zone, type }, used);
    };
    for (const h of hosts) {
      both(h.zone, 'cpu_mhz', Number(h.cpuTotal), Number(h.cpuUsed));
      both(h.zone, 'memory_bytes', Number(h.memoryTotal), Number(h.memoryUsed));
    }
    for (const s of storage) both(s.zone, 'storage_bytes', Number(s.total), Number(s.used));
    const perZone = new Map<string, { total: number; used: number }>();
    for (const r of ips) {
      const z = perZone.get(r.zone) ?? { total: 0, used: 0 };
      z.total += Number(r.n);
      if (r.state !== 'Free') z.used += Number(r.n);
      perZone.set(r.zone, z);
    }
    for (const [zone, z] of perZone) both(zone, 'public_ips', z.total, z.used);
    for (const v of vlans) both(v.zone, 'guest_vlans', undefined, Number(v.n));
    return this.registry.metrics();
  }

  /** Counts one answered request (the operation label only takes names polystack knows). */
  observe(a: Answered): void {
    this.requests.inc({ front: a.front, operation: a.operation, status: String(a.status) });
    this.latency.observe({ front: a.front, operation: a.operation }, a.seconds);
  }

  /** One connection refused at the cap. */
  dropped(): void {
    this.refused.inc();
  }

  /** The open-connections gauge, read from the server at each scrape. */
  watchConnections(server: Server): void {
    new Gauge({
      name: 'polystack_http_connections_open',
      help: 'Client connections open now (POLYSTACK_MAX_CONNECTIONS caps them).',
      registers: [this.registry],
      async collect() {
        this.set(await new Promise<number>((resolve) => server.getConnections((err, n) => resolve(err ? 0 : n))));
      },
    });
  }

  /** GET /metrics behind `guard` (the control endpoints' onRequest guard). */
  register(app: FastifyInstance, guard: onRequestAsyncHookHandler): void {
    app.get('/metrics', { config: { operation: 'metrics' }, onRequest: guard }, async (_req, res) =>
      res.type(this.registry.contentType).send(await this.scrape()),
    );
  }
}
