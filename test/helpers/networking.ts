import assert from 'node:assert/strict';
import { fingerprint as storeFingerprint } from './fingerprint.js';
import { apiSession, finish, runJob, type Api, type World } from './inprocess.js';

export const fingerprint = (w: World): Promise<string> => storeFingerprint(w.store);

/** Asserts a request is refused with this status and text and leaves the database as it was. */
export async function refused(
  w: World,
  api: Api,
  command: string,
  params: Record<string, string | number | boolean>,
  status: number,
  text: string | RegExp,
): Promise<void> {
  const before = await fingerprint(w);
  const r = await api(command, params);
  assert.equal(r.status, status, `${command}: ${JSON.stringify(r.body)}`);
  if (typeof text === 'string') assert.equal(r.body.errortext, text);
  else assert.match(r.body.errortext, text);
  assert.equal(await fingerprint(w), before, `${command} was refused but changed the database`);
}

/** Asserts an async command's job fails with this code and text and leaves the database as it was. */
export async function jobFails(
  w: World,
  api: Api,
  command: string,
  params: Record<string, string | number | boolean>,
  code: number,
  text: string | RegExp,
): Promise<void> {
  const before = await fingerprint(w);
  const r = await runJob(w, api, command, params);
  assert.equal(r.jobstatus, 2, `${command} job: ${JSON.stringify(r.jobresult)}`);
  assert.equal(r.jobresultcode, code);
  if (typeof text === 'string') assert.equal(r.jobresult.errortext, text);
  else assert.match(r.jobresult.errortext, text);
  assert.equal(await fingerprint(w), before, `${command} failed but changed the database`);
}

/** A create-style async command: answers {id, jobid}; returns the id and the finished job's result. */
export async function created(
  w: World,
  api: Api,
  command: string,
  params: Record<string, string | number | boolean>,
): Promise<{ id: string; job: any }> {
  const r = await api(command, params);
  assert.equal(r.status, 200, `${command}: ${JSON.stringify(r.body)}`);
  assert.ok(r.body.id && r.body.jobid, `${command} answers id and jobid`);
  await finish(w, r.body.jobid);
  const job = (await api('queryAsyncJobResult', { jobid: r.body.jobid })).body;
  assert.equal(job.jobstatus, 1, `${command} job: ${JSON.stringify(job.jobresult)}`);
  return { id: r.body.id, job };
}

/** A fresh user account with its own session. */
export async function tenant(w: World, admin: Api, name: string): Promise<Api> {
  const r = await admin('createAccount', {
    account: name,
    username: name,
    password: 'pw',
    email: `${name}@x`,
    firstname: name,
    lastname: 't',
    accounttype: 0,
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return apiSession(w, name, 'pw');
}

export async function deploy(w: World, api: Api, zoneid: string, extra: Record<string, string> = {}): Promise<any> {
  const r = await runJob(w, api, 'deployVirtualMachine', {
    zoneid,
    serviceofferingid: w.small,
    templateid: w.template,
    ...extra,
  });
  assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
  return r.jobresult.virtualmachine;
}

export async function offering(api: Api, name: string): Promise<string> {
  const r = await api('listNetworkOfferings', { name });
  const o = r.body.networkoffering?.find((x: any) => x.name === name);
  assert.ok(o, `offering ${name}`);
  return o.id;
}

export const count = async (w: World, table: string): Promise<number> =>
  ((await (w.store.db as any).selectFrom(table).selectAll().execute()) as unknown[]).length;
