import assert from 'node:assert/strict';
import type { CsClient } from './cs-client.js';

/** Dates as CloudStack prints them: yyyy-MM-dd'T'HH:mm:ssZ with a colon-less offset. */
export const CS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/;

export const badIdText = (cmd: string, name: string, v: string): string =>
  `Unable to execute API command ${cmd} due to invalid value. Invalid parameter ${name} value=${v} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`;

/** An error answer: HTTP status = errorcode, fields in ExceptionResponse's order, X-Description = errortext. */
export function assertCsError(
  r: { status: number; body: any; reply?: { headers: Headers } },
  status: number,
  text: string | RegExp,
  cserrorcode?: number,
): void {
  const ctx = JSON.stringify(r.body);
  assert.equal(r.status, status, ctx);
  assert.deepEqual(r.body.uuidList, [], ctx);
  assert.equal(r.body.errorcode, status, ctx);
  if (typeof text === 'string') assert.equal(r.body.errortext, text);
  else assert.match(r.body.errortext, text);
  if (cserrorcode !== undefined) {
    assert.equal(r.body.cserrorcode, cserrorcode, ctx);
    assert.deepEqual(Object.keys(r.body), ['uuidList', 'errorcode', 'cserrorcode', 'errortext']);
  }
  const header = r.reply?.headers.get('x-description');
  if (r.reply && header !== null) assert.equal(header, r.body.errortext);
}

export interface Basics {
  zone: string;
  offering: string;
  template: string;
}

/** The seeded basic zone, the Small Instance offering and a CentOS template in that zone. */
export async function basics(cs: CsClient): Promise<Basics> {
  const zone = (await cs.call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0].id as string;
  const offering = (await cs.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0]
    .id as string;
  const templates = (await cs.call('listTemplates', { templatefilter: 'featured', zoneid: zone })).body
    .template as any[];
  const template = templates.find((t) => t.name.startsWith('CentOS'))!.id as string;
  return { zone, offering, template };
}
