// tier: client — the ipmitool driver starts ipmitool (here a stand-in script on PATH).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';

describe('out-of-band management through the ipmitool driver', () => {
  let w: World;
  let admin: Api;
  let hostId: string;
  const dir = mkdtempSync(join(tmpdir(), 'fake-ipmitool-'));
  const log = join(dir, 'args');
  const path = process.env['PATH'];

  before(async () => {
    // A stand-in ipmitool: records its arguments and answers like a BMC whose chassis is off.
    writeFileSync(join(dir, 'ipmitool'), `#!/bin/sh\necho "$@" >> ${log}\necho "Chassis Power is off"\n`);
    chmodSync(join(dir, 'ipmitool'), 0o755);
    process.env['PATH'] = `${dir}:${path}`;
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    hostId = (await admin('listHosts', { type: 'Routing', zoneid: w.zones.advanced })).body.host[0].id;
  });
  after(async () => {
    process.env['PATH'] = path;
    rmSync(dir, { recursive: true, force: true });
    await w.close();
  });

  it('runs ipmitool against the BMC and reads its chassis power', async () => {
    const r = await admin('configureOutOfBandManagement', {
      hostid: hostId,
      driver: 'ipmitool',
      address: '10.0.0.9',
      port: '623',
      username: 'ADMIN',
      password: 'bmc-pw',
    });
    assert.equal(r.status, 200);
    assert.equal((await admin('enableOutOfBandManagementForHost', { hostid: hostId })).status, 200);
    const st = await runJob(w, admin, 'issueOutOfBandManagementPowerAction', { hostid: hostId, action: 'STATUS' });
    assert.equal(st.jobresult.outofbandmanagement.powerstate, 'Off', JSON.stringify(st.jobresult));
    // The description is ipmitool's standard output as printed, its newline kept (as ProcessRunner reads it).
    assert.equal(st.jobresult.outofbandmanagement.description, 'Chassis Power is off\n');
    assert.equal(
      readFileSync(log, 'utf8').trim().split('\n').at(-1),
      '-I lanplus -R 1 -v -H 10.0.0.9 -p 623 -U ADMIN -P bmc-pw chassis power status',
    );
  });
});
