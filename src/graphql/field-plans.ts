/**
 * What each generated GraphQL field means, recorded while the schema is built and read by the
 * planner (selection → IR) with Map lookups only.
 */
import type { ColumnModel, ProjectModel, RelationModel, TableModel } from '../model/project-model.js';

export type FieldPlan =
  | { kind: 'column'; column: ColumnModel }
  | { kind: 'one'; relation: RelationModel; target: TableModel }
  | { kind: 'many'; relation: RelationModel; target: TableModel }
  | { kind: 'aggregate'; relation: RelationModel; target: TableModel };

export type RootPlan =
  | { kind: 'list'; table: TableModel }
  | { kind: 'byPk'; table: TableModel }
  | { kind: 'aggregate'; table: TableModel }
  | { kind: 'connection'; table: TableModel }
  | { kind: 'similar'; table: TableModel };

export interface MutationPlan {
  kind: 'insert' | 'update' | 'delete';
  table: TableModel;
  /** insertPost / updatePost / deletePost return the row; the plural forms a MutationResult */
  single: boolean;
}

export interface SchemaPlans {
  model: ProjectModel;
  /** object type name → field name → plan */
  objects: Map<string, Map<string, FieldPlan>>;
  /** aggregate type name → table */
  aggregates: Map<string, TableModel>;
  roots: Map<string, RootPlan>;
  mutations: Map<string, MutationPlan>;
}
