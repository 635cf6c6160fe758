import { createHash, createHmac } from 'node:crypto';

/** A presigned SigV4 GET URL for an EC2 action: the same bytes for every request until it expires. */
export function presignedEc2(
  base: string,
  params: Record<string, string>,
  key: string,
  secret: string,
  expiresSeconds = 3600,
): string {
  const url = new URL(base);
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/us-east-1/ec2/aws4_request`;
  const q: Record<string, string> = {
    ...params,
    Version: '2016-11-15',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${key}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(expiresSeconds),
    'X-Amz-SignedHeaders': 'host',
  };
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const query = Object.keys(q)
    .sort()
    .map((k) => `${enc(k)}=${enc(q[k]!)}`)
    .join('&');
  const canonical = [
    'GET',
    '/',
    query,
    `host:${url.host}\n`,
    'host',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const h = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();
  const sig = createHmac('sha256', h(h(h(h(`AWS4${secret}`, day), 'us-east-1'), 'ec2'), 'aws4_request'))
    .update(toSign)
    .digest('hex');
  return `${url.origin}/?${query}&X-Amz-Signature=${sig}`;
}
