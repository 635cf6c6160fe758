import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

/**
 * Counts writes: the number moves after every insert, update or delete that changed a row, so
 * anything computed from the database while it stood still may be reused until it moves
 * (response caches). A reader that captured the number before a write landed stores its result
 * under the old number, which is then stale; SQLite's single connection means a reader never
 * runs inside someone else's transaction.
 */
export class DataVersion implements KyselyPlugin {
  private n = 0;
  private writes = new WeakSet<object>();
  get value(): number {
    return this.n;
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (WRITES.has(args.node.kind)) this.writes.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const r = args.result;
    // UPDATE ... RETURNING reports its rows, not a count.
    if (this.writes.delete(args.queryId) && ((r.numAffectedRows ?? 0n) > 0n || (r.numChangedRows ?? 0n) > 0n || r.rows.length > 0)) this.n++;
    return r;
  }
}
