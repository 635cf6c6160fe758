import { createHash, createHmac } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { Failure } from './scenario.js';

export interface Ec2Reply {
  status: number;
  text: string;
  /** The element under the root (`DescribeInstancesResponse`'s content), `item` lists always arrays. */
  body: any;
  /** For an error answer: Errors/Error/Code and Message. */
  code?: string;
  message?: string;
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'item' });
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();
// RFC 3986 escaping, as Signature Version 4 asks for form values.
const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** An EC2 Query API caller: form POSTs signed with Signature Version 4 (service ec2). */
export class Ec2Api {
  constructor(
    readonly url: string,
    private accessKey: string,
    private secretKey: string,
    private region = 'us-east-1',
  ) {}

  async send(action: string, params: Record<string, string> = {}, opts: { secret?: string } = {}): Promise<Ec2Reply> {
    const body = Object.entries({ Action: action, Version: '2016-11-15', ...params })
      .map(([k, v]) => `${enc(k)}=${enc(v)}`)
      .join('&');
    const url = new URL(this.url.endsWith('/') ? this.url : `${this.url}/`);
    const date = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const day = date.slice(0, 8);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      host: url.host,
      'x-amz-date': date,
    };
    const signed = Object.keys(headers).sort();
    const canonical = [
      'POST',
      url.pathname,
      '',
      signed.map((h) => `${h}:${headers[h]}\n`).join(''),
      signed.join(';'),
      sha256(body),
    ].join('\n');
    const scope = `${day}/${this.region}/ec2/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${opts.secret ?? this.secretKey}`, day), this.region), 'ec2'), 'aws4_request');
    headers['authorization'] =
      `AWS4-HMAC-SHA256 Credential=${this.accessKey}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${createHmac('sha256', key).update(toSign).digest('hex')}`;
    delete headers['host'];
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body });
    } catch (e) {
      throw new Failure(`${action} reachable`, `an answer from ${url}`, String((e as Error).cause ?? e));
    }
    const text = await res.text();
    let doc: any;
    try {
      doc = parser.parse(text);
    } catch {
      doc = {};
    }
    const root = Object.keys(doc).find((k) => k !== '?xml');
    const error = doc.Response?.Errors?.Error;
    return { status: res.status, text, body: root ? doc[root] : undefined, code: error?.Code, message: error?.Message };
  }

  /** An action that must succeed: the response element, or a failure naming the error. */
  async ok(action: string, params: Record<string, string> = {}): Promise<any> {
    const r = await this.send(action, params);
    if (r.status !== 200)
      throw new Failure(
        `${action} HTTP status`,
        '200',
        `${r.status} ${r.code ?? ''} ${r.message ?? r.text.slice(0, 200)}`,
      );
    return r.body;
  }
}

/** `items` of an EC2 list element (`<instancesSet><item>…`), [] when it is empty or absent. */
export const items = (v: any): any[] => (v && typeof v === 'object' && Array.isArray(v.item) ? v.item : []);
