// Runs an Ansible playbook of ngine_io.cloudstack modules (Debian's ansible package) twice against
// polystack: the first run changes things, the second finds everything as it should be.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';

const run = promisify(execFile);
const PLAYBOOK = fileURLToPath(new URL('./ansible/storage.yml', import.meta.url));

/** changed= and failed= of the PLAY RECAP line. */
function recap(out: string): { changed: number; failed: number } {
  const m = /localhost\s*:\s*ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)/.exec(out);
  if (!m) throw new Error(`no PLAY RECAP in:\n${out}`);
  return { changed: Number(m[1]), failed: Number(m[2]) };
}

describe('Ansible ngine_io.cloudstack: cs_instance, cs_volume, cs_template, cs_iso', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
  });
  after(() => s.stop());

  const playbook = async () => {
    const r = await run('ansible-playbook', ['-i', 'localhost,', PLAYBOOK], {
      env: {
        PATH: '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', LANG: 'C.UTF-8', ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
        CLOUDSTACK_ENDPOINT: s.endpoint, CLOUDSTACK_KEY: s.apiKey, CLOUDSTACK_SECRET: s.secretKey,
      },
      timeout: 300_000,
    }).catch((e) => ({ stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? e.message) }));
    return `${r.stdout}${r.stderr}`;
  };

  it('the first run makes the VM, disk, template and ISO; the second changes nothing', { timeout: 600_000 }, async () => {
    const which = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
    assert.equal(which.status, 0, 'ansible-playbook is missing: run scripts/install-test-deps.sh (Debian package ansible)');
    const first = await playbook();
    assert.deepEqual(recap(first), { changed: 4, failed: 0 }, first);
    const second = await playbook();
    assert.deepEqual(recap(second), { changed: 0, failed: 0 }, second);

    const cs = await httpLogin(s.endpoint);
    const vm = (await cs.call('listVirtualMachines', { name: 'ans-vm' })).body.virtualmachine[0];
    const disk = (await cs.call('listVolumes', { name: 'ans-data' })).body.volume[0];
    assert.equal(disk.virtualmachineid, vm.id);
    assert.equal(disk.size, 2 * 2 ** 30);
    assert.equal((await cs.call('listTemplates', { templatefilter: 'self', name: 'ans-template' })).body.count, 1);
    assert.equal((await cs.call('listIsos', { isofilter: 'self', name: 'ans-iso' })).body.count, 1);
  });
});
