import { appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { exchangeOf } from './exchange.js';

/**
 * `polystack record`: a proxy in front of a CloudStack endpoint that passes every request through
 * unchanged and appends each CloudStack exchange, normalised, to a JSON-lines file.
 */
export function recordProxy(upstream: string, file: string): Server {
  const base = new URL(upstream);
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', async () => {
        const body = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', base);
        const headers = Object.fromEntries(
          Object.entries(req.headers)
            .filter(([k]) => !['host', 'connection', 'content-length'].includes(k))
            .map(([k, v]) => [k, String(v)]),
        );
        try {
          const up = await fetch(url, {
            method: req.method,
            headers,
            body: ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : body,
            redirect: 'manual',
          });
          const text = await up.text();
          const form = (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? body.toString() : '';
          const pairs = [...url.searchParams, ...new URLSearchParams(form)] as [string, string][];
          const ex = exchangeOf(pairs, up.status, text);
          if (ex) appendFileSync(file, JSON.stringify(ex) + '\n');
          res.writeHead(
            up.status,
            Object.fromEntries(
              [...up.headers].filter(([k]) => !['content-encoding', 'content-length', 'transfer-encoding'].includes(k)),
            ),
          );
          res.end(text);
        } catch (e) {
          res
            .writeHead(502, { 'content-type': 'text/plain' })
            .end(`polystack record: upstream ${upstream}: ${String((e as Error).cause ?? e)}`);
        }
      });
  });
}
