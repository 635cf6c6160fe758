import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodePercent, decodePercentOrKeep } from '../../src/domain/percent.js';
import { SIM_HOST, simHostSize } from '../../src/domain/infra.js';
import { walk } from '../../src/metadata/gce.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/**
 * A malformed %-escape in request input (`%E0%A4%A`) made decodeURIComponent throw, and a front
 * answered 500 (the EC2 SigV4 check, the IMDS tag and GCE metadata paths). The class: every
 * percent-decoding in src goes through src/domain/percent.ts, which cannot throw.
 */
describe('percent-decoding never throws into a 500', () => {
  it('src decodes percent-escapes only through domain/percent.ts', () => {
    const raw = /\bdecodeURI(Component)?\s*\(|\bunescape\s*\(|querystring\.unescape/;
    const offenders = files(SRC)
      .filter((f) => !f.endsWith(join('domain', 'percent.ts')))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .flatMap((line, i) => (raw.test(line) ? [`${relative(SRC, f)}:${i + 1}: ${line.trim()}`] : [])),
      );
    assert.deepEqual(offenders, [], 'use decodePercent / decodePercentOrKeep from src/domain/percent.ts');
  });

  it('decodePercent: undefined for what decodeURIComponent throws on', () => {
    for (const bad of ['%E0%A4%A', '%zz', '%', '%ED%A0%80', 'a%FFb']) {
      assert.throws(() => decodeURIComponent(bad), URIError, bad);
      assert.equal(decodePercent(bad), undefined, bad);
      assert.equal(decodePercentOrKeep(bad), bad);
    }
    assert.equal(decodePercent('%E0%A4%80+x%20y'), '\u0900+x y');
  });

  it("addHost's simulator URL: a malformed escape is kept as sent, not thrown", () => {
    assert.deepEqual(simHostSize('http://sim/c0/h0/cpuspeed=4000%26cpucore=8'), {
      ...SIM_HOST,
      cpuSpeed: 4000,
      cpuNumber: 8,
    });
    assert.throws(
      () => simHostSize('http://sim/c0/h0/cpuspeed=4000&cpucore=%E0%A4%A'),
      /cpucore=%E0%A4%A is not a positive whole number/,
    );
  });

  it('GCE metadata paths arrive decoded and are not decoded again', () => {
    const tree = { instance: { attributes: { '50%off': 'yes', '%E0%A4%A': 'raw' } } };
    assert.deepEqual(walk(tree, 'instance/attributes/50%off', false), { text: 'yes' });
    assert.deepEqual(walk(tree, 'instance/attributes/%E0%A4%A', false), { text: 'raw' });
    assert.equal(walk(tree, 'instance/attributes/constructor', false), undefined, 'not Object.prototype');
  });
});
