import { createHash, createHmac } from 'node:crypto';

/**
 * An independent SigV4 signer for EC2 Query POSTs (form body, botocore's signed headers),
 * written from the reference, not from the server's code.
 */
export function sigv4(url: URL, body: string, key: string, secret: string, when = new Date()): Record<string, string> {
  const amzDate = when.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: url.host, 'x-amz-date': amzDate };
  const signed = Object.keys(headers).sort();
  const canonical = ['POST', '/', '', signed.map((h) => `${h}:${headers[h]}\n`).join(''), signed.join(';'), createHash('sha256').update(body).digest('hex')].join('\n');
  const scope = `${day}/us-east-1/ec2/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const h = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();
  const sig = createHmac('sha256', h(h(h(h(`AWS4${secret}`, day), 'us-east-1'), 'ec2'), 'aws4_request')).update(toSign).digest('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${key}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${sig}` };
}

/** RFC 3986 encoding, as SigV2 canonicalises names and values. */
export const rfc3986 = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** A SigV2 (HmacSHA256) signed parameter set for a POST to `/` of `host`. */
export function sigv2(host: string, params: Record<string, string>, key: string, secret: string, when = new Date()): Record<string, string> {
  const all: Record<string, string> = { ...params, AWSAccessKeyId: key, SignatureVersion: '2', SignatureMethod: 'HmacSHA256', Timestamp: when.toISOString().replace(/\.\d{3}/, '') };
  const canon = Object.keys(all).sort().map((k) => `${rfc3986(k)}=${rfc3986(all[k]!)}`).join('&');
  return { ...all, Signature: createHmac('sha256', secret).update(`POST\n${host}\n/\n${canon}`).digest('base64') };
}
