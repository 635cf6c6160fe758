import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { PYTHON } from '../helpers/python.js';
import { oobmStore } from '../../src/store/oobm.store.js';

/** The project's fake BMC (test/harness/ipmisim), run from the checkout whatever the .pth file says. */
const HARNESS = fileURLToPath(new URL('../harness/ipmisim', import.meta.url));
const pyEnv = {
  PATH: '/usr/bin:/bin',
  PYTHONPATH: HARNESS,
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONUNBUFFERED: '1',
  LANG: 'C.UTF-8',
};

function missing(): string | undefined {
  if (spawnSync('ipmitool', ['-V']).status !== 0) return 'ipmitool is not installed';
  if (spawnSync(PYTHON, ['-c', 'import pyghmi.ipmi.command, cryptography'], { env: pyEnv }).status !== 0)
    return `${PYTHON} cannot import pyghmi (python3-pyghmi)`;
  return undefined;
}
const why = missing();
const skip = why ? `${why}: run scripts/install-test-deps.sh (as root) to install ipmitool and python3-pyghmi` : false;

/** Starts one BMC on a free loopback port; resolves once it says where it listens. */
function startBmc(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    PYTHON,
    ['-m', 'ipmisim', '--host', '127.0.0.1', '--port', '0', '--power', 'on', '--user', 'admin:password'],
    { env: pyEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /ipmisim listening on [\d.]+:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('exit', (code) => reject(new Error(`ipmisim exited (${code}): ${out}`)));
  });
}

describe('out-of-band management through ipmitool against a lanplus BMC (ipmisim)', { skip }, () => {
  let w: World;
  let admin: Api;
  let hostId: string;
  let bmc: ChildProcess;
  let port: number;
  const configure = (password: string, username = 'admin', bmcPort = port) =>
    admin('configureOutOfBandManagement', {
      hostid: hostId,
      driver: 'ipmitool',
      address: '127.0.0.1',
      port: String(bmcPort),
      username,
      password,
    });
  const power = (action: string) => runJob(w, admin, 'issueOutOfBandManagementPowerAction', { hostid: hostId, action });
  const recorded = async () => (await admin('listHosts', { id: hostId })).body.host[0].outofbandmanagement.powerstate;
  /** What a second, independent IPMI client (pyghmi's) reads from the BMC with this password. */
  const pyghmiPower = (password: string) => {
    const code = `from pyghmi.ipmi import command\nc = command.Command(bmc='127.0.0.1', port=${port}, userid='admin', password='${password}')\nprint(c.get_power()['powerstate'])`;
    return spawnSync(PYTHON, ['-c', code], { env: pyEnv, encoding: 'utf8', timeout: 30_000 }).stdout.trim();
  };

  before(async () => {
    ({ child: bmc, port } = await startBmc());
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    hostId = (await admin('listHosts', { type: 'Routing', zoneid: w.zones.advanced })).body.host[0].id;
  });
  after(async () => {
    bmc?.kill('SIGTERM');
    await w?.close();
  });

  it('configured and enabled, STATUS reads the chassis power and records it', async () => {
    assert.equal((await configure('password')).status, 200);
    assert.equal(
      (await runJob(w, admin, 'enableOutOfBandManagementForHost', { hostid: hostId })).jobresult.outofbandmanagement
        .enabled,
      true,
    );
    const st = await power('STATUS');
    assert.equal(st.jobstatus, 1, JSON.stringify(st.jobresult));
    assert.deepEqual(
      [st.jobresult.outofbandmanagement.powerstate, st.jobresult.outofbandmanagement.description],
      ['On', 'Chassis Power is on\n'],
    );
    assert.equal(await recorded(), 'On');
  });

  it('OFF, ON, CYCLE, RESET and SOFT change the BMC, as STATUS and another client then read', async () => {
    for (const [action, after, said] of [
      ['OFF', 'Off', 'Down/Off'],
      ['ON', 'On', 'Up/On'],
      ['SOFT', 'Off', 'Soft'],
      ['CYCLE', 'On', 'Cycle'],
      ['RESET', 'On', 'Reset'],
    ] as const) {
      const r = await power(action);
      assert.equal(r.jobstatus, 1, `${action}: ${JSON.stringify(r.jobresult)}`);
      assert.equal(r.jobresult.outofbandmanagement.description, `Chassis Power Control: ${said}\n`);
      assert.equal((await power('STATUS')).jobresult.outofbandmanagement.powerstate, after, action);
      assert.equal(pyghmiPower('password'), after.toLowerCase(), action);
    }
  });

  it('the background sync reads what changed on the BMC itself, and marks an unreachable BMC Unknown', async () => {
    const ipmitool = (verb: string) =>
      spawnSync('ipmitool', [
        '-I',
        'lanplus',
        '-R',
        '1',
        '-H',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'admin',
        '-P',
        'password',
        'chassis',
        'power',
        verb,
      ]);
    assert.equal(ipmitool('off').status, 0);
    await w.s.oobm.syncPowerStates();
    assert.equal(await recorded(), 'Off');
    assert.equal(ipmitool('on').status, 0);
    await w.s.oobm.syncPowerStates();
    assert.equal(await recorded(), 'On');
    assert.equal((await configure('password', 'admin', 1)).status, 200);
    await w.s.oobm.syncPowerStates();
    assert.equal(await recorded(), 'Unknown');
    await configure('password');
  });

  it('the background sync marks a host whose cluster has it switched off Disabled, and reads it again once on', async () => {
    const host = (await admin('listHosts', { id: hostId })).body.host[0];
    await runJob(w, admin, 'disableOutOfBandManagementForCluster', { clusterid: host.clusterid });
    await oobmStore.setPowerState(w.store.db, [hostId], 'On'); // as the Marvin test's UPDATE of the oobm row does
    await w.s.oobm.syncPowerStates();
    assert.equal(await recorded(), 'Disabled');
    await runJob(w, admin, 'enableOutOfBandManagementForCluster', { clusterid: host.clusterid });
    await w.s.oobm.syncPowerStates();
    assert.equal(await recorded(), 'On');
  });

  it('a wrong password is an authentication error (RAKP 2 HMAC), and the recorded power becomes Unknown', async () => {
    await configure('not-the-password');
    const r = await power('STATUS');
    assert.equal(r.jobstatus, 2);
    assert.match(
      r.jobresult.errortext,
      /^Out-of-band Management action \(STATUS\) on host \(.+\) failed due to authentication error: [^]*RAKP 2 HMAC is invalid[^]*\. Please check configured credentials\.$/,
    );
    assert.equal(await recorded(), 'Unknown');
    const alerts = async () => (await admin('listAlerts', { keyword: 'auth-error' })).body.alert ?? [];
    assert.deepEqual(
      (await alerts()).map((a: { type: number; name: string }) => [a.type, a.name]),
      [[29, 'ALERT.OOBM.AUTHERROR']],
    );
    await power('STATUS');
    assert.equal((await alerts()).length, 1, 'one alert per host until its out-of-band management is switched again');
  });

  it('an unknown user is refused by the BMC but is not an authentication error to CloudStack', async () => {
    await configure('password', 'nobody');
    const r = await power('ON');
    assert.equal(r.jobstatus, 2);
    assert.match(
      r.jobresult.errortext,
      /^Out-of-band Management action \(ON\) on host \(.+\) failed with error: [^]*unauthorized name/,
    );
    const pw = await runJob(w, admin, 'changeOutOfBandManagementPassword', { hostid: hostId, password: 'x' });
    assert.match(
      pw.jobresult.errortext,
      /due to driver error: Failed to find IPMI user to change password, error: [^]*unauthorized name/,
    );
  });

  it("Marvin's way in: IpmiServerContext().bmc set in-process is what ipmitool reads; a server closed and made again on the same port", () => {
    const code = [
      'import _thread, socket, subprocess',
      'from ipmisim.ipmisim import IpmiServerContext, IpmiServer, ThreadedIpmiServer',
      's = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()',
      'def status():',
      '    args = ["ipmitool", "-I", "lanplus", "-R", "1", "-H", "127.0.0.1", "-p", str(port), "-U", "admin", "-P", "password", "chassis", "power", "status"]',
      '    return subprocess.run(args, capture_output=True, text=True).stdout.strip()',
      'for powerstate in ("on", "off"):',
      '    IpmiServerContext("reset")',
      '    ThreadedIpmiServer.allow_reuse_address = False',
      '    server = ThreadedIpmiServer(("127.0.0.1", port), IpmiServer)',
      '    _thread.start_new_thread(server.serve_forever, ())',
      '    IpmiServerContext().bmc.powerstate = powerstate',
      '    print(status())',
      '    server.shutdown(); server.server_close()',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', code], { env: pyEnv, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.stdout, 'Chassis Power is on\nChassis Power is off\n', r.stderr);
  });

  it('changeOutOfBandManagementPassword sets it on the BMC: the new one works, the old one no longer does', async () => {
    await configure('password');
    const r = await runJob(w, admin, 'changeOutOfBandManagementPassword', {
      hostid: hostId,
      password: 'Password12345',
    });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    assert.equal(r.jobresult.outofbandmanagement.status, true);
    assert.equal(
      (await power('STATUS')).jobresult.outofbandmanagement.powerstate,
      'On',
      'the kept password is the new one',
    );
    assert.equal(pyghmiPower('Password12345'), 'on');
    await configure('password');
    assert.match(
      (await power('STATUS')).jobresult.errortext,
      /failed due to authentication error: [^]*RAKP 2 HMAC is invalid/,
    );
  });
});
