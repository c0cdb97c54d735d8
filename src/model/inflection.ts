/**
 * Every generated GraphQL name comes from here. Field names are column names exactly as
 * defined; only type and root-field names are inflected (pluralize + camel/pascal case).
 */
import pluralize from 'pluralize';

/** "blog_posts" → "BlogPosts" */
export function pascal(name: string): string {
  return name
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** "blog_posts" → "blogPosts" */
export function camel(name: string): string {
  const p = pascal(name);
  return p.charAt(0).toLowerCase() + p.slice(1);
}

/** "posts" → "post", "categories" → "category"; the last word of snake_case only. */
export function singularOf(tableName: string): string {
  const parts = tableName.split('_');
  parts[parts.length - 1] = pluralize.singular(parts[parts.length - 1]!);
  return parts.join('_');
}

/** "post" → "posts", "person" → "people". */
export function pluralOf(singular: string): string {
  const parts = singular.split('_');
  parts[parts.length - 1] = pluralize.plural(parts[parts.length - 1]!);
  return parts.join('_');
}

/** All names a table contributes to a project's schema. */
export interface TableNames {
  /** object type: `Post` */
  type: string;
  /** list root field: `posts` */
  list: string;
  /** by-primary-key root field: `post` */
  byPk: string;
  /** `postsConnection` */
  connection: string;
  /** `postsAggregate` */
  aggregate: string;
  /** `insertPost`, `insertPosts`, `updatePost`, `updatePosts`, `deletePost`, `deletePosts` */
  insertOne: string;
  insertMany: string;
  updateOne: string;
  updateMany: string;
  deleteOne: string;
  deleteMany: string;
  /** `similarPosts` (tables with a vector index) */
  similar: string;
  /** `postChanged` subscription */
  changed: string;
  /** input/output helper types: `PostFilter`, `PostOrderBy`, `PostConnection`, `PostEdge`, `PostAggregate`, `PostGroup`, … */
  filter: string;
  orderBy: string;
  connectionType: string;
  edge: string;
  aggregateType: string;
  aggregateFields: (fn: 'Sum' | 'Avg' | 'Min' | 'Max') => string;
  group: string;
  groupKey: string;
  groupByColumn: string;
  insertInput: string;
  setInput: string;
  incInput: string;
  onConflict: string;
  mutationResult: string;
  similarity: string;
  changeEvent: string;
  /** `PostStatus` for enum column `status` */
  enumType: (column: string) => string;
}

/**
 * Names for a table. singular/plural come from the table name unless overridden:
 *   posts → Post, posts, post, postsConnection, postsAggregate, insertPost, insertPosts, …
 *   blog_posts → BlogPost, blogPosts, blogPost, …
 */
export function tableNames(tableName: string, singularOverride?: string | null, pluralOverride?: string | null): TableNames {
  const singular = singularOverride ?? singularOf(tableName);
  const plural = pluralOverride ?? (singularOverride ? pluralOf(singularOverride) : tableName);
  const S = pascal(singular);
  const P = pascal(plural);
  const s = camel(singular);
  const p = camel(plural);
  return {
    type: S,
    list: p,
    byPk: s,
    connection: `${p}Connection`,
    aggregate: `${p}Aggregate`,
    insertOne: `insert${S}`,
    insertMany: `insert${P}`,
    updateOne: `update${S}`,
    updateMany: `update${P}`,
    deleteOne: `delete${S}`,
    deleteMany: `delete${P}`,
    similar: `similar${P}`,
    changed: `${s}Changed`,
    filter: `${S}Filter`,
    orderBy: `${S}OrderBy`,
    connectionType: `${S}Connection`,
    edge: `${S}Edge`,
    aggregateType: `${S}Aggregate`,
    aggregateFields: (fn) => `${S}${fn}Fields`,
    group: `${S}Group`,
    groupKey: `${S}GroupKey`,
    groupByColumn: `${S}GroupByColumn`,
    insertInput: `${S}InsertInput`,
    setInput: `${S}SetInput`,
    incInput: `${S}IncInput`,
    onConflict: `${S}OnConflict`,
    mutationResult: `${S}MutationResult`,
    similarity: `${S}Similarity`,
    changeEvent: `${S}ChangeEvent`,
    enumType: (column) => `${S}${pascal(column)}`,
  };
}

/** Type names every project schema defines itself (scalars, shared inputs, Koya types). */
export const BUILT_IN_TYPE_NAMES = new Set([
  'Query', 'Mutation', 'Subscription', 'String', 'Int', 'Float', 'Boolean', 'ID',
  'UUID', 'DateTime', 'Date', 'JSON', 'BigInt', 'Decimal', 'Upload',
  'PageInfo', 'OrderDirection', 'ChangeEventType',
  'StringFilter', 'IntFilter', 'FloatFilter', 'BooleanFilter', 'UUIDFilter', 'DateTimeFilter', 'DateFilter',
  'JSONFilter', 'BigIntFilter', 'DecimalFilter', 'StringArrayFilter', 'IntArrayFilter',
  'KoyaSession', 'KoyaUser', 'KoyaFile',
]);

/** Root fields the project endpoint owns. */
export const RESERVED_ROOT_FIELDS = new Set(['signIn', 'signUp', 'uploadFile', 'koyaFiles', 'sendEmail', 'invokeFunction', 'fileUrl', 'exportUserData', 'eraseUserData', 'emailLogChanged', 'webhookChanged', 'scheduledTaskChanged', '__typename', '__schema', '__type']);
