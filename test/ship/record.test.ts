import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { startProcess, stopped } from '../helpers/process.js';
import { startServer, type TestServer } from '../helpers/server.js';

// A cs session as a user would run it; the recording proxy stands where their cloud was.
const SESSION = `
import os
from cs import CloudStack, CloudStackApiException
api = CloudStack(os.environ["CLOUDSTACK_ENDPOINT"], os.environ["CLOUDSTACK_KEY"], os.environ["CLOUDSTACK_SECRET"], poll_interval=0.1)
api.listZones()
sg = api.createSecurityGroup(name="recorded")["securitygroup"]
api.authorizeSecurityGroupIngress(securitygroupid=sg["id"], protocol="tcp", startport=22, endport=22, cidrlist="10.0.0.0/8", fetch_result=True)
api.listSecurityGroups(id=sg["id"])
api.deleteSecurityGroup(id=sg["id"])
try:
    api.listVirtualMachines(id="not-an-id")
except CloudStackApiException:
    pass
`;

/** `polystack record` in front of one polystack, `polystack compare` of that recording against another. */
describe('polystack record and compare', () => {
  let upstream: TestServer;
  let target: TestServer;
  let dir: string;
  let file: string;
  before(async () => {
    // Processes: the session runs with spawnSync, which would block an in-process upstream from answering it.
    const env = { POLYSTACK_AGENT_DELAY_MS: '20' };
    [upstream, target] = await Promise.all([startServer({ process: true, env }), startServer({ process: true, env })]);
    dir = mkdtempSync(join(tmpdir(), 'polystack-record-'));
    file = join(dir, 'session.jsonl');
    const proxy = await startProcess(['record', '--upstream', upstream.url, '--out', file, '--port', '0']);
    try {
      const r = spawnSync('/usr/bin/python3', ['-c', SESSION], {
        encoding: 'utf8',
        env: {
          PATH: '/usr/bin:/bin',
          HOME: dir,
          CLOUDSTACK_ENDPOINT: `${proxy.url}/client/api`,
          CLOUDSTACK_KEY: upstream.apiKey,
          CLOUDSTACK_SECRET: upstream.secretKey,
        },
      });
      assert.equal(r.status, 0, r.stderr);
    } finally {
      await stopped(proxy.child);
    }
  });
  after(async () => {
    await Promise.all([upstream.stop(), target.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const compare = (extra: string[] = []) =>
    runCli([
      'compare',
      file,
      '--target',
      target.url,
      '--key',
      target.apiKey,
      '--secret',
      target.secretKey,
      '--json',
      ...extra,
    ]);

  it('records each exchange, normalised, without credentials or signatures', () => {
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const commands = lines.map((l) => l.command);
    for (const c of [
      'listZones',
      'createSecurityGroup',
      'authorizeSecurityGroupIngress',
      'queryAsyncJobResult',
      'deleteSecurityGroup',
      'listVirtualMachines',
    ])
      assert.ok(commands.includes(c), `${c} not recorded: ${commands}`);
    assert.doesNotMatch(readFileSync(file, 'utf8'), new RegExp(`${upstream.apiKey}|signature|"apikey"`, 'i'));
    const bad = lines.find((l) => l.command === 'listVirtualMachines');
    assert.deepEqual([bad.status, bad.body.errorcode], [431, 431]);
  });

  it('replays it against another polystack with no difference, ids mapped across', async () => {
    const r = await compare();
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.results.filter((x: any) => x.status !== 'passed'),
      [],
    );
    assert.equal(r.code, 0);
  });

  it('reports the first difference where the target answers otherwise', async () => {
    const auth = `Basic ${Buffer.from('admin:password').toString('base64')}`;
    const added = await fetch(`${target.url}/_polystack/faults`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ front: 'cloudstack', operation: 'listZones', effect: 'error', status: 503 }),
    });
    assert.equal(added.status, 201);
    const r = await compare();
    assert.equal(r.code, 1);
    const first = JSON.parse(r.stdout).results[0];
    assert.deepEqual(
      [first.id, first.status, first.difference],
      ['1 listZones', 'differed', { where: 'HTTP status', expected: '200', actual: '503' }],
    );
  });
});
