// package.json's engines.node is the truth: every locked package, the tools that build and test
// included, runs on the oldest Node it allows, so `npm ci` warns of no engine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const read = (f: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../${f}`, import.meta.url)), 'utf8'));

it('every package in the lock allows the oldest Node that package.json allows', () => {
  const pkg = read('package.json') as { engines: { node: string } };
  const oldest = semver.minVersion(pkg.engines.node)!;
  const lock = read('package-lock.json') as {
    packages: Record<string, { engines?: { node?: string } | string[]; os?: string[]; cpu?: string[] }>;
  };
  const refuse = Object.entries(lock.packages)
    // Only what installs here: platform builds for other systems are skipped by npm itself.
    .filter(([, p]) => (!p.os || p.os.includes('linux')) && (!p.cpu || p.cpu.includes('x64')))
    .map(([name, p]) => [name, !Array.isArray(p.engines) ? p.engines?.node : undefined] as const)
    .filter(([, range]) => range && !semver.satisfies(oldest, range))
    .map(([name, range]) => `${name} needs node ${range}`);
  assert.deepEqual(refuse, [], `package.json allows node ${pkg.engines.node} (from ${oldest})`);
});
