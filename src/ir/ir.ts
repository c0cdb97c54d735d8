/**
 * The typed plan between GraphQL and SQL. Built by graphql/planner from a selection, compiled by
 * sql/ to one statement per root field. Values from requests only ever appear as `Param`, so
 * user input can only become a bind parameter.
 */
import type { ColumnModel, RelationModel, TableModel, VectorIndexModel } from '../model/project-model.js';

/** A request value, always sent as a bind parameter. */
export interface Param {
  kind: 'param';
  value: unknown;
}
export const param = (value: unknown): Param => ({ kind: 'param', value });

export type CompareOp =
  | 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte'
  | 'in' | 'nin'
  | 'like' | 'ilike' | 'startsWith' | 'endsWith' | 'contains'
  | 'jsonContains' | 'hasKey'
  | 'arrayContains' | 'overlaps';

export type Filter =
  | { kind: 'and'; items: Filter[] }
  | { kind: 'or'; items: Filter[] }
  | { kind: 'not'; item: Filter }
  | { kind: 'compare'; column: ColumnModel; op: CompareOp; value: Param }
  | { kind: 'isNull'; column: ColumnModel; isNull: boolean }
  /** one: the to-one target matches; some/none/every over a to-many relation */
  | { kind: 'relation'; relation: RelationModel; target: TableModel; quantifier: 'one' | 'some' | 'every' | 'none'; filter: Filter };

export type Direction = 'ASC' | 'DESC';
export type Nulls = 'FIRST' | 'LAST';

/** ORDER BY term: a column of the table, or of a to-one related table (`{ author: { name: ASC } }`). */
export interface OrderTerm {
  path: Array<{ relation: RelationModel; target: TableModel }>;
  column: ColumnModel;
  direction: Direction;
  nulls: Nulls;
}

/** The JSON object built for one row: response keys → values. */
export interface ObjectSelection {
  table: TableModel;
  fields: FieldSelection[];
}

export type FieldSelection =
  | { kind: 'column'; key: string; column: ColumnModel }
  | { kind: 'constant'; key: string; value: string }
  | { kind: 'one'; key: string; relation: RelationModel; selection: ObjectSelection }
  | { kind: 'many'; key: string; relation: RelationModel; query: ListQuery }
  | { kind: 'aggregate'; key: string; relation: RelationModel; query: AggregateQuery };

export interface ListQuery {
  table: TableModel;
  where: Filter | undefined;
  orderBy: OrderTerm[];
  limit: number;
  offset: number;
  selection: ObjectSelection;
}

export type AggregateFn = 'sum' | 'avg' | 'min' | 'max';

export type AggregateSelection =
  | { kind: 'count'; key: string }
  | { kind: 'constant'; key: string; value: string }
  | { kind: 'fn'; key: string; fn: AggregateFn; columns: Array<{ key: string; column: ColumnModel } | { key: string; constant: string }> };

export interface GroupOrder {
  target: { kind: 'count' } | { kind: 'column'; column: ColumnModel };
  direction: Direction;
  nulls: Nulls;
}

export type AggregateField =
  | AggregateSelection
  | {
      kind: 'groupBy';
      key: string;
      by: ColumnModel[];
      orderBy: GroupOrder[];
      limit: number;
      /** fields of each group: `key { … }` and aggregates */
      groupKey: Array<{ key: string; fields: Array<{ key: string; column: ColumnModel } | { key: string; constant: string }> }>;
      aggregates: AggregateSelection[];
    };

export interface AggregateQuery {
  table: TableModel;
  where: Filter | undefined;
  fields: AggregateField[];
}

export type RootOperation =
  | { kind: 'list'; query: ListQuery }
  | { kind: 'byPk'; table: TableModel; id: Param; selection: ObjectSelection }
  | { kind: 'aggregate'; query: AggregateQuery }
  | { kind: 'connection'; query: ConnectionQuery }
  | { kind: 'similar'; query: SimilarQuery };

export type SimilarityField =
  | { kind: 'distance'; key: string }
  | { kind: 'node'; key: string; selection: ObjectSelection }
  | { kind: 'constant'; key: string; value: string };

/** Vector search: the `limit` rows nearest to `vector` by the index's metric, nearest first. */
export interface SimilarQuery {
  table: TableModel;
  index: VectorIndexModel;
  /** the query vector, validated against the index's dimensions (sent as real[]) */
  vector: Param;
  where: Filter | undefined;
  limit: number;
  fields: SimilarityField[];
}

export type EdgeField =
  | { kind: 'cursor'; key: string }
  | { kind: 'node'; key: string; selection: ObjectSelection }
  | { kind: 'constant'; key: string; value: string };

export type PageInfoField = { kind: 'hasNextPage' | 'hasPreviousPage' | 'startCursor' | 'endCursor'; key: string } | { kind: 'constant'; key: string; value: string };

export type ConnectionField =
  | { kind: 'totalCount'; key: string }
  | { kind: 'constant'; key: string; value: string }
  | { kind: 'edges'; key: string; fields: EdgeField[] }
  | { kind: 'pageInfo'; key: string; fields: PageInfoField[] };

/** Relay connection with keyset cursors over `orderBy` (primary key appended as tiebreaker). */
export interface ConnectionQuery {
  table: TableModel;
  where: Filter | undefined;
  orderBy: OrderTerm[];
  /** page size and direction: forward (first/after) or backward (last/before) */
  size: number;
  backward: boolean;
  /** decoded cursor values, one per order term */
  cursor: Param[] | undefined;
  /** the other cursor (before with first, after with last): only reported in pageInfo */
  hasOtherCursor: boolean;
  fields: ConnectionField[];
}

/** One row to insert: column → value (missing columns take their DEFAULT). */
export type InsertRow = Map<ColumnModel, Param>;

export interface AuditTarget {
  /** e.g. "posts.insert" */
  action: string;
  actorId: string | null;
  actorRole: string;
  projectId: string;
  /** column names the write sets (never values) */
  columns: string[];
}

export type MutationOperation =
  | {
      kind: 'insert';
      table: TableModel;
      rows: InsertRow[];
      /**
       * Rows of nested inserts (parents, children, many-to-many targets and links), each with
       * explicit keys generated for the request, in the order they must be written: `before`
       * rows (parents the top-level rows point at) precede the top-level insert, `after` rows
       * (children, many-to-many targets, then links) follow it.
       */
      nested: Array<{ table: TableModel; row: InsertRow; audit: AuditTarget; phase: 'before' | 'after' }>;
      onConflict: { columns: ColumnModel[]; update: ColumnModel[] } | undefined;
      /** one row (insertPost) or the many-row result (insertPosts) */
      single: boolean;
      returning: MutationReturning;
      audit: AuditTarget;
    }
  | {
      kind: 'update';
      table: TableModel;
      where: { byPk: Param } | { filter: Filter | undefined };
      set: Map<ColumnModel, Param>;
      inc: Map<ColumnModel, Param>;
      single: boolean;
      returning: MutationReturning;
      audit: AuditTarget;
    }
  | {
      kind: 'delete';
      table: TableModel;
      where: { byPk: Param } | { filter: Filter | undefined };
      single: boolean;
      returning: MutationReturning;
      audit: AuditTarget;
    };

/** What the client selected: the row object (single forms) or affectedRows/returning. */
export type MutationReturning =
  | { kind: 'row'; selection: ObjectSelection }
  | { kind: 'result'; fields: Array<{ kind: 'affectedRows'; key: string } | { kind: 'returning'; key: string; selection: ObjectSelection } | { kind: 'constant'; key: string; value: string }> };

export type ChangeOp = 'INSERT' | 'UPDATE' | 'DELETE';

export type ChangeField =
  | { kind: 'event'; key: string }
  | { kind: 'new' | 'old'; key: string; selection: ObjectSelection }
  | { kind: 'constant'; key: string; value: string };

/** A subscription to a table's row changes (`postChanged(where, events)`), as each event is answered. */
export interface ChangeQuery {
  table: TableModel;
  events: ReadonlySet<ChangeOp>;
  where: Filter | undefined;
  fields: ChangeField[];
  /** check event rows against the table's policies (false for callers that bypass row-level security) */
  checkRows: boolean;
}

/** One row change from the feed: the row's id, and its new and old values at the change (when they fit the payload). */
export interface RowChange {
  schema: string;
  table: string;
  op: ChangeOp;
  id: string;
  new: Record<string, unknown> | null;
  old: Record<string, unknown> | null;
}
