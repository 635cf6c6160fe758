import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** docs/architecture.md's layer rules, as eslint.config.js encodes them, hold for src/ and bite when broken. */
describe('layer boundaries (eslint.config.js)', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const problems = async (file: string, text: string) =>
    (await eslint.lintText(text, { filePath: `${ROOT}${file}` })).flatMap((r) =>
      r.messages.map((m) => `${m.ruleId}: ${m.message}`),
    );

  it('src/ keeps every arrow', async () => {
    const results = await eslint.lintFiles(['src']);
    const found = results.flatMap((r) =>
      r.messages.map((m) => `${r.filePath.slice(ROOT.length)}:${m.line} ${m.message}`),
    );
    assert.deepEqual(found, []);
  });

  it('refuses an upward import, an import of the composition root, and a front reaching past the port', async () => {
    assert.match(
      (
        await problems('src/domain/x.ts', "import { openStore } from '../store/db.js';\nexport const x = openStore;\n")
      ).join('\n'),
      /src\/domain may import only itself/,
    );
    assert.match(
      (
        await problems(
          'src/cloudstack/x.ts',
          "import { loadConfig } from '../server/config.js';\nexport const x = loadConfig;\n",
        )
      ).join('\n'),
      /src\/cloudstack may import only/,
    );
    assert.match(
      (
        await problems(
          'src/ec2/x.ts',
          "import { VmService } from '../services/compute/vm.service.js';\nexport const x = VmService;\n",
        )
      ).join('\n'),
      /src\/ec2 may import only/,
    );
    assert.match(
      (
        await problems('src/gce/x.ts', "import { vmStore } from '../store/vm.store.js';\nexport const x = vmStore;\n")
      ).join('\n'),
      /side database/,
    );
  });

  it('keeps table names out of services: no generic by-table row access', async () => {
    assert.match(
      (
        await problems(
          'src/services/compute/x.ts',
          "import { updateRow } from '../../store/repo.js';\nexport const f = updateRow;\n",
        )
      ).join('\n'),
      /a service names no table/,
    );
    // The concept stores' own rows are what a service calls; the store itself keeps using the generic ones.
    assert.deepEqual(
      await problems(
        'src/services/compute/x.ts',
        "import { vmRows } from '../../store/vm.store.js';\nexport const f = vmRows.update;\n",
      ),
      [],
    );
    assert.deepEqual(
      await problems('src/store/x.store.ts', "import { rowsOf } from './repo.js';\nexport const r = rowsOf('vms');\n"),
      [],
    );
  });

  it('keeps SQL out of services: no query builder, no sql tag, no kysely value import', async () => {
    const header = "import type { Db } from '../../store/db.js';\n";
    for (const call of [
      "db.selectFrom('vms').selectAll().execute()",
      "db.insertInto('alerts').values({} as any).execute()",
      "db.updateTable('vms').set({ state: 'Stopped' }).execute()",
      "db.deleteFrom('tags').where('resourceId', '=', 'x').execute()",
      "(db as any).replaceInto('tags')",
      '(db as any).selectNoFrom([])',
    ])
      assert.match(
        (await problems('src/services/compute/x.ts', `${header}export const f = (db: Db) => ${call};\n`)).join('\n'),
        /a service builds no query/,
        call,
      );
    const sqlTag = "import { sql } from 'kysely';\nexport const q = sql`select 1`;\nexport const r = sql.raw('1');\n";
    const found = (await problems('src/services/compute/x.ts', sqlTag)).join('\n');
    assert.match(found, /a service builds no SQL: call a named function/);
    assert.equal(found.match(/a service writes no SQL/g)?.length, 2);
    // A service may name kysely's types (a Transaction it is handed); the store may build any query.
    assert.deepEqual(
      await problems(
        'src/services/compute/x.ts',
        "import type { Kysely } from 'kysely';\nexport type K = Kysely<object>;\n",
      ),
      [],
    );
    assert.deepEqual(
      await problems(
        'src/store/x.store.ts',
        "import { sql } from 'kysely';\nimport type { Db } from './db.js';\n" +
          "export const f = (db: Db) => db.selectFrom('vms').select(sql<number>`count(*)`.as('n')).execute();\n" +
          "export const g = (db: Db) => db.deleteFrom('tags').where('resourceId', '=', 'x').execute();\n",
      ),
      [],
    );
  });

  it("refuses `in` with a computed key, which finds Object.prototype's names", async () => {
    assert.match(
      (
        await problems(
          'src/services/x.ts',
          'const T: Record<string, number> = { a: 1 };\nexport const f = (k: string) => k in T;\n',
        )
      ).join('\n'),
      /Object\.hasOwn/,
    );
    assert.deepEqual(await problems('src/services/x.ts', "export const f = (o: object) => 'a' in o;\n"), []);
  });

  it('lets a layer see another through types only where the table says so', async () => {
    assert.deepEqual(
      await problems(
        'src/cloudstack/x.ts',
        "import type { PageRequest } from '../store/paging.js';\nexport type X = PageRequest;\n",
      ),
      [],
    );
    assert.match(
      (
        await problems(
          'src/cloudstack/x.ts',
          "import { accountStore } from '../store/account.store.js';\nexport const x = accountStore;\n",
        )
      ).join('\n'),
      /store and job types only/,
    );
    assert.match(
      (
        await problems(
          'src/ec2/x.ts',
          "import { handleApi } from '../cloudstack/api.js';\nexport const x = handleApi;\n",
        )
      ).join('\n'),
      /wire types only/,
    );
  });
});
