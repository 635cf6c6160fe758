import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../specs.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  body: Buffer;
  type: string;
}

/** Where `npm run build` puts the web console (vite, from web/). */
export const consoleDir = (): string => join(packageRoot(), 'dist', 'web');

/** Every file of the built console by its path below /client/, read once: the build is small and its asset names are hashed. */
async function scan(dir: string): Promise<Map<string, Asset>> {
  const out = new Map<string, Asset>();
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch {
    return out;
  }
  for (const name of names) {
    const type = TYPES[extname(name)];
    if (type) out.set(name.split('\\').join('/'), { body: await readFile(join(dir, name)), type });
  }
  return out;
}

/**
 * The web console at /client/ (a static single-page app using hash routes). /client/api is the
 * CloudStack API, registered as an exact route, which the router prefers to this wildcard.
 */
export function registerConsole(app: FastifyInstance, dir: string = consoleDir()): void {
  let files: Map<string, Asset> | undefined;
  const load = async () => {
    if (files?.size) return files;
    // Not built yet: look again next time rather than remembering an empty folder.
    return (files = await scan(dir));
  };
  app.get('/client', (_req, res) => res.redirect('/client/', 302));
  app.get('/client/*', async (req, res) => {
    const rel = (req.params as { '*': string })['*'] || 'index.html';
    const assets = await load();
    if (!assets.size)
      return res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web console is not built: run `npm run build`.\n');
    // A page path someone typed (/client/instances) gets the app, which routes by hash; a missing
    // file, anything under assets/ and the API's own paths do not.
    const page = !extname(rel) && !rel.startsWith('assets/') && !rel.startsWith('api');
    const asset = assets.get(rel) ?? (page ? assets.get('index.html') : undefined);
    if (!asset) return res.status(404).type('text/plain; charset=utf-8').send('Not found\n');
    const immutable = rel.startsWith('assets/');
    return res
      .type(asset.type)
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'SAMEORIGIN')
      .send(asset.body);
  });
}
