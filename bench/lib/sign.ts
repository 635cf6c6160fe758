import { createHmac } from 'node:crypto';
import { KEY, SECRET } from './server.js';

/** A signed (v1) CloudStack query string: the same bytes every time for the same parameters. */
export function signedQuery(params: Record<string, string>): string {
  const all = { response: 'json', ...params, apiKey: KEY };
  const enc = (v: string) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const canon = Object.keys(all)
    .sort()
    .map((k) => `${k}=${enc(all[k as keyof typeof all]!)}`)
    .join('&');
  const signature = createHmac('sha1', SECRET).update(canon.toLowerCase()).digest('base64');
  return `${canon}&signature=${encodeURIComponent(signature)}`;
}
