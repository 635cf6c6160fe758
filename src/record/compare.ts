import { CsApi, cloudstackEndpoint, type CsReply } from '../conformance/cloudstack.client.js';
import type { Report, Result } from '../conformance/runner.js';
import { Difference, eq } from '../conformance/scenario.js';
import { pairIds, shape, type Exchange } from './exchange.js';

export interface CompareTarget {
  url: string;
  apiKey: string;
  secretKey: string;
  timeoutMs: number;
}

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Sends one recorded request with the recorded cloud's ids swapped for the target's; waits for a job to end as the recording's did. */
async function replay(api: CsApi, ex: Exchange, ids: Map<string, string>, timeoutMs: number): Promise<CsReply> {
  const params = Object.fromEntries(
    Object.entries(ex.params).map(([k, v]) => [k, v.replace(UUIDS, (id) => ids.get(id) ?? id)]),
  );
  const want = (ex.body as { jobstatus?: number } | undefined)?.jobstatus;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await api.call(ex.command, params);
    // A job the recording saw finished may still be running here.
    if (ex.command.toLowerCase() !== 'queryasyncjobresult' || want === 0 || r.body?.jobstatus !== 0 || Date.now() > end)
      return r;
    await new Promise((res) => setTimeout(res, 200));
  }
}

function differences(ex: Exchange, r: CsReply): void {
  eq('HTTP status', r.status, ex.status);
  const rec = ex.body as Record<string, unknown>;
  if (ex.status !== 200) {
    eq('errorcode', r.body?.errorcode, rec['errorcode']);
    eq(
      'errortext (ids masked)',
      String(r.body?.errortext ?? '').replace(UUIDS, '<id>'),
      String(rec['errortext'] ?? '').replace(UUIDS, '<id>'),
    );
    return;
  }
  const got = shape(r.body);
  for (const [path, kind] of shape(rec)) {
    if (!got.has(path)) throw new Difference(path, `a ${kind}`, 'nothing');
    if (got.get(path) !== kind) throw new Difference(path, `a ${kind}`, `a ${got.get(path)}`);
  }
}

/** `polystack compare`: replays a recording against a target and reports where its answers differ. */
export async function compareRecording(exchanges: readonly Exchange[], t: CompareTarget): Promise<Report> {
  const api = new CsApi(cloudstackEndpoint(t.url), t.apiKey, t.secretKey);
  const ids = new Map<string, string>();
  const results: Result[] = [];
  for (const [i, ex] of exchanges.entries()) {
    const started = Date.now();
    const base = { front: 'cloudstack', id: `${i + 1} ${ex.command}`, title: ex.command, ms: 0 };
    try {
      const r = await replay(api, ex, ids, t.timeoutMs);
      differences(ex, r);
      pairIds(ex.body, r.body, ids);
      results.push({ ...base, status: 'passed', ms: Date.now() - started });
    } catch (e) {
      if (!(e instanceof Difference))
        results.push({
          ...base,
          status: 'failed',
          error: String(e instanceof Error ? e.message : e),
          step: ex.command,
        });
      else
        results.push({
          ...base,
          status: 'differed',
          ms: Date.now() - started,
          step: ex.command,
          difference: { where: e.where, expected: e.expected, actual: e.actual },
        });
    }
  }
  const totals = { passed: 0, failed: 0, differed: 0, skipped: 0 };
  for (const r of results) totals[r.status]++;
  return { target: t.url, fronts: ['cloudstack'], results, totals };
}
