import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);
/** Columns no answer shows: a node saying it is alive changes nothing anyone can list. */
const UNSEEN = new Set(['heartbeat', 'lastHeartbeat']);

function onlyUnseen(node: RootOperationNode): boolean {
  if (node.kind !== 'UpdateQueryNode' || !node.updates?.length) return false;
  return node.updates.every((u) => {
    const c = u.column as { kind: string; column?: { name?: string } };
    return c.kind === 'ColumnNode' && UNSEEN.has(c.column?.name ?? '');
  });
}

/**
 * Counts writes: the number moves after every insert, update or delete that changed a row, so
 * anything computed from the database while it stood still may be reused until it moves
 * (response caches). A reader that captured the number before a write landed stores its result
 * under the old number, which is then stale. On SQLite one connection runs everything, so a reader
 * never runs inside someone else's transaction. On PostgreSQL the store also moves the number when
 * a transaction that wrote commits and when another node says it wrote (see postgres.ts).
 */
export class DataVersion implements KyselyPlugin {
  private n = 0;
  private writes = new WeakSet<object>();
  /** Called after each write that changed rows (PostgreSQL: tell the other nodes). */
  onWrite: (() => void) | undefined;
  get value(): number {
    return this.n;
  }
  bump(): void {
    this.n++;
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (WRITES.has(args.node.kind) && !onlyUnseen(args.node)) this.writes.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const r = args.result;
    // UPDATE ... RETURNING reports its rows, not a count.
    if (this.writes.delete(args.queryId) && ((r.numAffectedRows ?? 0n) > 0n || (r.numChangedRows ?? 0n) > 0n || r.rows.length > 0)) {
      this.n++;
      this.onWrite?.();
    }
    return r;
  }
}
