import {
  OperationNodeTransformer,
  PostgresAdapter,
  RawNode,
  type ColumnDefinitionNode,
  type Kysely,
  type KyselyPlugin,
  type OperatorNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type SelectQueryNode,
  type UnknownRow,
} from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Which database a Kysely instance (or transaction) talks to; migrations ask where a type differs. */
export function dialectOf(db: Pick<Kysely<any>, 'getExecutor'>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

const ROW_LOCKS = new Set(['ForUpdate', 'ForNoKeyUpdate', 'ForShare', 'ForKeyShare', 'NoWait', 'SkipLocked']);

class StripRowLocks extends OperationNodeTransformer {
  protected override transformSelectQuery(node: SelectQueryNode): SelectQueryNode {
    const out = super.transformSelectQuery(node);
    if (!out.endModifiers?.length) return out;
    return { ...out, endModifiers: out.endModifiers.filter((m) => !m.modifier || !ROW_LOCKS.has(m.modifier)) };
  }
}

/**
 * SQLite has no row locks and needs none: its one connection runs one transaction at a time. Store
 * code writes `.forUpdate()` / `.skipLocked()` where PostgreSQL needs them and this drops them here.
 */
export class SqliteRowLocks implements KyselyPlugin {
  private t = new StripRowLocks();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.t.transformNode(args.node, args.queryId);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

class SqliteSemantics extends OperationNodeTransformer {
  // SQLite's LIKE ignores ASCII case; PostgreSQL's does not, its ILIKE does (under the C ctype, ASCII only too).
  protected override transformOperator(node: OperatorNode): OperatorNode {
    if (node.operator === 'like') return { ...node, operator: 'ilike' };
    if (node.operator === 'not like') return { ...node, operator: 'not ilike' };
    return node;
  }
  // Text compares and sorts by bytes in SQLite (BINARY); "C" is the same order in PostgreSQL, whatever the database's locale.
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const out = super.transformColumnDefinition(node);
    const t = out.dataType as { kind: string; dataType?: string };
    if (t.kind === 'DataTypeNode' && t.dataType === 'text')
      return { ...out, dataType: RawNode.createWithSql('text collate "C"') };
    return out;
  }
}

/** PostgreSQL answers as SQLite does for the same Kysely query: case-blind LIKE, byte-ordered text. */
export class PostgresAsSqlite implements KyselyPlugin {
  private t = new SqliteSemantics();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.t.transformNode(args.node, args.queryId);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
