// tier: slow (about 30,000 requests, a third of a second a test: a sweep like the reliability ones)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import { apiSpec } from '../../src/cloudstack/spec.js';
import { fingerprinter } from '../helpers/fingerprint.js';
import { cloudStacks530 } from '../helpers/cloudstack-530.js';
import { apiSession, finish, world, type Api, type World } from '../helpers/inprocess.js';

/** Hostile values by parameter type; every command gets each of them in each of its parameters. */
const HOSTILE: Record<string, string[]> = {
  any: ['', ' ', "' OR 1=1 --", '1; DROP TABLE vms', '../../etc/passwd', '💥\u202etxt', '\u0000nul', 'x'.repeat(5000)],
  uuid: ['not-a-uuid', '00000000-0000-4000-8000-00000000000', 'f81d4fae-7dec-41d0-a765-00a0c91e6bf6'],
  integer: ['-1', '99999999999999999999', '1.5', 'NaN', '0x10'],
  long: ['-1', '99999999999999999999', '1e3'],
  boolean: ['yes', '1', 'TRUE'],
  list: [',,,', 'a,b,c', 'f81d4fae-7dec-41d0-a765-00a0c91e6bf6,nope'],
  map: [],
  string: [Buffer.alloc(70_000, 'x').toString('base64').slice(0, 70_000), '%00', '<script>alert(1)</script>'],
};
const MAPS: [string, string][][] = [
  [['tags[x].key', 'a']],
  [['tags[0]', 'a']],
  [['tags[0].a.b', 'c']],
  [['details[99999999999].key', 'v']],
];

describe('bad input never gives a 5xx and never writes', () => {
  let w: World;
  let api: Api;
  let sent = 0;
  let fingerprint: () => Promise<string>;
  before(async () => {
    w = await world({ delayMs: 0 });
    api = await apiSession(w);
    fingerprint = fingerprinter(w.store);
  });
  after(() => w.close());

  for (const def of [...COMMANDS.values()]) {
    if (def.name === 'login' || def.name === 'logout') continue;
    it(def.name, async () => {
      const spec = apiSpec(def.name)!;
      const cases: Record<string, string>[] = [{}];
      for (const p of spec.params) {
        const n = p.name.toLowerCase();
        for (const v of [...(HOSTILE[p.type] ?? []), ...HOSTILE['any']!]) cases.push({ [n]: v });
      }
      for (const m of MAPS) cases.push(Object.fromEntries(m));
      for (const params of cases) {
        const before = await fingerprint();
        const r = await api(def.name, params, 'POST');
        sent++;
        assert.ok(
          r.status < 500 || (r.status > 530 && r.status <= 537) || cloudStacks530(def.name, r),
          `${def.name} ${JSON.stringify(params).slice(0, 120)} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`,
        );
        if (r.status !== 200) {
          assert.equal(r.body.errorcode, r.status);
          assert.equal(typeof r.body.errortext, 'string');
          assert.equal(
            await fingerprint(),
            before,
            `${def.name} ${JSON.stringify(params).slice(0, 120)} was refused but wrote`,
          );
        } else if (r.body.jobid) {
          await finish(w, r.body.jobid);
          const job = (await api('queryAsyncJobResult', { jobid: r.body.jobid })).body;
          if (!cloudStacks530(def.name, { status: job.jobresultcode, body: job.jobresult }))
            assert.notEqual(
              job.jobresultcode,
              530,
              `${def.name} job hit an internal error: ${JSON.stringify(job.jobresult)}`,
            );
          if (job.jobstatus === 2) assert.equal(await fingerprint(), before, `${def.name} job failed but wrote`);
        }
      }
    });
  }

  it('sent a few thousand requests', () => {
    assert.ok(sent > 2000, `only ${sent}`);
  });
});
