import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

/** The table a write statement targets (the first one, for UPDATE ... FROM and DELETE ... USING). */
function tableOf(node: RootOperationNode): string {
  const n = node as unknown as { into?: OperationNode; table?: OperationNode; from?: { froms?: OperationNode[] } };
  let t: unknown = n.into ?? n.table ?? n.from?.froms?.[0];
  // An aliased table (UPDATE vms AS v) wraps the table node.
  if ((t as { kind?: string })?.kind === 'AliasNode') t = (t as { node: unknown }).node;
  return (t as { table?: { identifier?: { name?: string } } })?.table?.identifier?.name ?? '?';
}

/**
 * Counts writes: the number moves after every insert, update or delete that changed a row, so
 * anything computed from the database while it stood still may be reused until it moves
 * (response caches). A reader that captured the number before a write landed stores its result
 * under the old number, which is then stale; SQLite's single connection means a reader never
 * runs inside someone else's transaction. Writes are also counted per table, so a caller can
 * tell which tables a piece of work changed.
 */
export class DataVersion implements KyselyPlugin {
  private n = 0;
  private writes = new WeakMap<object, string>();
  private tables = new Map<string, number>();
  get value(): number {
    return this.n;
  }
  /** Writes so far by table name. */
  byTable(): ReadonlyMap<string, number> {
    return this.tables;
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (WRITES.has(args.node.kind)) this.writes.set(args.queryId, tableOf(args.node));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const r = args.result;
    const table = this.writes.get(args.queryId);
    this.writes.delete(args.queryId);
    // UPDATE ... RETURNING reports its rows, not a count.
    if (table !== undefined && ((r.numAffectedRows ?? 0n) > 0n || (r.numChangedRows ?? 0n) > 0n || r.rows.length > 0)) {
      this.n++;
      this.tables.set(table, (this.tables.get(table) ?? 0) + 1);
    }
    return r;
  }
}
