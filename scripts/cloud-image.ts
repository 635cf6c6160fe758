// Run by scripts/bundle.mjs (bundled with the same build id as dist/polystack.mjs): builds the default
// cloud once, the way `serve --in-memory` would, and writes its image to dist/ for every later start.
import { VirtualClock } from '../src/domain/clock.js';
import { resolveConfig } from '../src/server/config.js';
import { defaultDatacenters } from '../src/server/datacenters.js';
import { createLogger } from '../src/server/http.js';
import { buildCloud } from '../src/server/image.js';
import { writeShippedImage } from '../src/server/shipped-image.js';

const [dir, id] = process.argv.slice(2);
if (!dir || !id) throw new Error('usage: cloud-image <dist dir> <build id>');
const clock = new VirtualClock();
const datacenters = defaultDatacenters();
const config = resolveConfig({ inMemory: true, port: 0 }, {});
await writeShippedImage(dir, id, datacenters, async () => {
  const started = clock.now();
  const store = await buildCloud(config, datacenters, clock, createLogger('silent'));
  return { store, started, done: clock.now() };
});
