import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

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

/** A raw statement that writes: the verb opens its first fragment; the table follows it or is its first parameter. */
const RAW_WRITE = /^\s*(?:insert\s+into|update|delete\s+from)\s+"?([A-Za-z_]\w*)?/i;

/** The table a raw `sql` statement writes, or undefined for a read (DataVersion must see these writes too). */
function rawWriteTable(node: RootOperationNode): string | undefined {
  if (node.kind !== 'RawNode') return undefined;
  const raw = node as unknown as RawParts;
  const m = RAW_WRITE.exec(raw.sqlFragments[0] ?? '');
  if (!m) return undefined;
  // sql.table(name) arrives as a raw node around the table node.
  let p: RawParam | undefined = raw.parameters[0];
  while (p?.kind === 'RawNode') p = p.parameters?.[0];
  return m[1] ?? p?.table?.identifier?.name ?? '?';
}
interface RawParts {
  sqlFragments: readonly string[];
  parameters: readonly RawParam[];
}
interface RawParam {
  kind?: string;
  parameters?: readonly RawParam[];
  table?: { identifier?: { name?: string } };
}

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
 * under the old number, which is then stale. On SQLite one connection runs everything, so a reader
 * never runs inside someone else's transaction. On PostgreSQL the store also moves the number when
 * a transaction that wrote commits and when another node says it wrote (see postgres.ts). Writes
 * are also counted per table, so a caller can tell which tables a piece of work changed.
 */
export class DataVersion implements KyselyPlugin {
  private n = 0;
  /** Moves with every `bump`: changes no table names (another node's, a commit's, a lost connection's). */
  private epoch = 0;
  private writes = new WeakMap<object, string>();
  private tables = new Map<string, number>();
  private statements = 0;
  /** Called after each write that changed rows (PostgreSQL: tell the other nodes). */
  onWrite: (() => void) | undefined;
  get value(): number {
    return this.n;
  }
  bump(): void {
    this.n++;
    this.epoch++;
  }
  /**
   * A number for these tables alone: it moves on every write to one of them, to a table no statement named
   * (raw SQL), and on every `bump`, and stands still while other tables are written (a cache of what only
   * these tables decide, such as who an API key is, survives a storm of deploys).
   */
  of(tables: readonly string[]): string {
    let writes = this.tables.get('?') ?? 0;
    for (const t of tables) writes += this.tables.get(t) ?? 0;
    return `${this.epoch}.${writes}`;
  }
  /**
   * After a commit: moves the number and every table written since `before` (a copy of `byTable()`) once more,
   * for readers that cached pre-commit rows under the numbers the transaction's writes had moved to.
   */
  committed(before: ReadonlyMap<string, number>): void {
    this.n++;
    for (const [table, count] of this.tables) if (before.get(table) !== count) this.tables.set(table, count + 1);
  }
  /** Writes so far by table name (this process's own writes). */
  byTable(): ReadonlyMap<string, number> {
    return this.tables;
  }
  /** Statements this process sent, reads included (listDbMetrics' queries). */
  get queries(): number {
    return this.statements;
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.statements++;
    if (WRITES.has(args.node.kind) && !onlyUnseen(args.node)) this.writes.set(args.queryId, tableOf(args.node));
    else {
      const raw = rawWriteTable(args.node);
      if (raw !== undefined) this.writes.set(args.queryId, raw);
    }
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
      this.onWrite?.();
    }
    return r;
  }
}
