import { describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import type { ProjectModel, TableModel } from './project-model.js';
import type { MetaSnapshot, SnapshotColumn, SnapshotRelationship, SnapshotTable } from './snapshot.js';

// ---------------------------------------------------------------------------------------------
// fixture builder: snapshots shaped like meta/snapshot-loader.ts produces them
// ---------------------------------------------------------------------------------------------

type ColumnSpec = [name: string, type: string, opts?: Partial<Omit<SnapshotColumn, 'id' | 'name' | 'type' | 'position'>>];
interface TableOpts {
  singularName?: string | null;
  pluralName?: string | null;
  primaryKeyType?: 'UUID' | 'BIGINT';
  timestamps?: boolean;
  rlsEnabled?: boolean;
  ownerColumn?: string | null;
  /** leave out the `id` column */
  noId?: boolean;
}

const tableId = (name: string) => `t-${name}`;

/** A table as createTable stores it: id first, the given columns, then created_at/updated_at. */
function table(name: string, specs: ColumnSpec[], opts: TableOpts = {}): SnapshotTable {
  const timestamps = opts.timestamps ?? true;
  const pkType = opts.primaryKeyType ?? 'UUID';
  const column = (n: string, type: string, o: ColumnSpec[2] = {}, position: number): SnapshotColumn => ({
    id: `c-${name}-${n}`,
    name: n,
    type,
    isNullable: o.isNullable ?? true,
    defaultValue: o.defaultValue ?? null,
    isUnique: o.isUnique ?? false,
    encrypted: o.encrypted ?? false,
    enumValues: o.enumValues ?? [],
    position,
  });
  const columns: SnapshotColumn[] = [];
  if (!opts.noId) columns.push(column('id', pkType === 'UUID' ? 'uuid' : 'bigint', { isNullable: false, isUnique: true }, 0));
  specs.forEach(([n, type, o], i) => columns.push(column(n, type, o, i + 1)));
  if (timestamps) {
    columns.push(column('created_at', 'timestamptz', { isNullable: false, defaultValue: 'now()' }, specs.length + 1));
    columns.push(column('updated_at', 'timestamptz', { isNullable: false, defaultValue: 'now()' }, specs.length + 2));
  }
  return {
    id: tableId(name),
    name,
    singularName: opts.singularName ?? null,
    pluralName: opts.pluralName ?? null,
    primaryKeyType: pkType,
    timestamps,
    rlsEnabled: opts.rlsEnabled ?? false,
    ownerColumn: opts.ownerColumn ?? null,
    columns,
  };
}

function rel(
  type: SnapshotRelationship['type'],
  from: string,
  to: string,
  foreignKeyColumn: string,
  fromFieldName: string,
  toFieldName: string,
  extra: Partial<SnapshotRelationship> = {},
): SnapshotRelationship {
  return {
    id: `r-${from}-${to}-${foreignKeyColumn}`,
    type,
    fromTableId: tableId(from),
    toTableId: tableId(to),
    foreignKeyColumn,
    junctionTableId: null,
    junctionTargetColumn: null,
    fromFieldName,
    toFieldName,
    onDelete: 'CASCADE',
    constraintName: `fk_${to}_${foreignKeyColumn}`,
    ...extra,
  };
}

function snapshot(tables: SnapshotTable[], relationships: SnapshotRelationship[] = []): MetaSnapshot {
  return {
    projectId: 'p-1',
    slug: 'shop',
    schemaName: 'proj_shop',
    metadataVersion: 7,
    settings: { maxPageSize: 500, environment: 'DEVELOPMENT' },
    tables,
    relationships,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A structural, function-free copy of a model for equality checks (Maps as entries, name functions applied). */
function plain(model: ProjectModel): unknown {
  const tableOf = (t: TableModel) => ({
    ...t,
    names: {
      ...Object.fromEntries(Object.entries(t.names).filter(([, v]) => typeof v === 'string')),
      sum: t.names.aggregateFields('Sum'),
      enumStatus: t.names.enumType('status'),
    },
    columnsByName: [...t.columnsByName.entries()],
    relationsByField: [...t.relationsByField.entries()],
  });
  return { ...model, tables: model.tables.map(tableOf), tablesByName: [...model.tablesByName.keys()] };
}

const errors = (m: ProjectModel) => m.diagnostics.filter((d) => d.severity === 'error');
const tableNamesOf = (m: ProjectModel) => m.tables.map((t) => t.name);

// ---------------------------------------------------------------------------------------------
// the blog project: users / profiles / posts / comments / tags (+ posts_tags junction)
// ---------------------------------------------------------------------------------------------

function blogSnapshot(): MetaSnapshot {
  return snapshot(
    [
      table('users', [
        ['email', 'text', { isNullable: false, isUnique: true }],
        ['name', 'varchar'],
        ['role', 'enum', { enumValues: ['ADMIN', 'MEMBER'], defaultValue: 'MEMBER', isNullable: false }],
      ], { rlsEnabled: true, ownerColumn: 'id' }),
      table('profiles', [
        ['user_id', 'uuid', { isNullable: false, isUnique: true }],
        ['bio', 'text'],
      ]),
      table('posts', [
        ['title', 'text', { isNullable: false }],
        ['body', 'text'],
        ['author_id', 'uuid'],
        ['score', 'numeric', { defaultValue: '0' }],
        ['embedding', 'vector(3)'],
        ['labels', 'text[]'],
      ], { ownerColumn: 'author_id' }),
      table('comments', [
        ['post_id', 'uuid', { isNullable: false }],
        ['body', 'text', { isNullable: false }],
      ], { primaryKeyType: 'BIGINT', timestamps: false }),
      table('tags', [['label', 'text', { isNullable: false, isUnique: true }]], { timestamps: false }),
      table('posts_tags', [
        ['post_id', 'uuid', { isNullable: false }],
        ['tag_id', 'uuid', { isNullable: false }],
      ], { timestamps: false }),
    ],
    [
      rel('ONE_TO_MANY', 'users', 'posts', 'author_id', 'posts', 'author'),
      rel('ONE_TO_MANY', 'posts', 'comments', 'post_id', 'comments', 'post'),
      rel('ONE_TO_ONE', 'users', 'profiles', 'user_id', 'profile', 'user'),
      rel('MANY_TO_MANY', 'posts', 'tags', 'post_id', 'tags', 'posts', { junctionTableId: tableId('posts_tags'), junctionTargetColumn: 'tag_id' }),
    ],
  );
}

describe('buildModel: a consistent project', () => {
  const snap = deepFreeze(blogSnapshot());
  const model = buildModel(snap);
  const t = (name: string) => model.tablesByName.get(name)!;

  it('builds every table without diagnostics, in snapshot order', () => {
    expect(model.diagnostics).toEqual([]);
    expect(tableNamesOf(model)).toEqual(['users', 'profiles', 'posts', 'comments', 'tags', 'posts_tags']);
    expect([...model.tablesByName.keys()]).toEqual(tableNamesOf(model));
    for (const table of model.tables) expect(model.tablesByName.get(table.name)).toBe(table);
  });

  it('carries the project fields', () => {
    expect(model).toMatchObject({ projectId: 'p-1', slug: 'shop', schemaName: 'proj_shop', version: 7, maxPageSize: 500, environment: 'DEVELOPMENT' });
  });

  it('carries table settings and names', () => {
    expect(t('users')).toMatchObject({ rlsEnabled: true, ownerColumn: 'id' });
    expect(t('posts')).toMatchObject({ rlsEnabled: false, ownerColumn: 'author_id' });
    expect(t('posts').names).toMatchObject({ type: 'Post', list: 'posts', byPk: 'post' });
    expect(t('posts_tags').names).toMatchObject({ type: 'PostsTag', list: 'postsTags', byPk: 'postsTag' });
  });

  it('detects the primary key', () => {
    for (const table of model.tables) {
      expect(table.primaryKey.name).toBe('id');
      expect(table.primaryKey).toBe(table.columnsByName.get('id'));
      expect(table.primaryKey).toMatchObject({ isPrimaryKey: true, nullable: false, unique: true, hasDefault: true, managed: false });
      expect(table.columns.filter((c) => c.isPrimaryKey)).toHaveLength(1);
    }
    expect(t('posts').primaryKey.type).toEqual({ kind: 'uuid' });
    expect(t('comments').primaryKey.type).toEqual({ kind: 'bigint' });
  });

  it('keeps columns in position order, indexed by name', () => {
    expect(t('posts').columns.map((c) => c.name)).toEqual(['id', 'title', 'body', 'author_id', 'score', 'embedding', 'labels', 'created_at', 'updated_at']);
    expect(t('comments').columns.map((c) => c.name)).toEqual(['id', 'post_id', 'body']);
    for (const table of model.tables) {
      expect([...table.columnsByName.keys()]).toEqual(table.columns.map((c) => c.name));
      for (const c of table.columns) expect(table.columnsByName.get(c.name)).toBe(c);
    }
  });

  it('parses column types and flags', () => {
    const posts = t('posts');
    expect(posts.columnsByName.get('embedding')!.type).toEqual({ kind: 'vector', dimensions: 3 });
    expect(posts.columnsByName.get('labels')!.type).toEqual({ kind: 'text[]' });
    expect(posts.columnsByName.get('title')).toMatchObject({ nullable: false, unique: false, hasDefault: false, managed: false, isPrimaryKey: false, encrypted: false });
    expect(t('users').columnsByName.get('email')).toMatchObject({ nullable: false, unique: true, hasDefault: false });
    expect(t('users').columnsByName.get('role')).toMatchObject({ type: { kind: 'enum' }, enumValues: ['ADMIN', 'MEMBER'], hasDefault: true });
  });

  it('hasDefault: a default value, the primary key, managed timestamps', () => {
    const posts = t('posts');
    // [column, hasDefault]
    const cases: Array<[string, boolean]> = [
      ['id', true], ['title', false], ['body', false], ['author_id', false], ['score', true], ['created_at', true], ['updated_at', true],
    ];
    for (const [name, hasDefault] of cases) expect(posts.columnsByName.get(name)!.hasDefault, name).toBe(hasDefault);
  });

  it('managed columns only when the table has timestamps', () => {
    expect(t('posts').columns.filter((c) => c.managed).map((c) => c.name)).toEqual(['created_at', 'updated_at']);
    expect(t('comments').columns.some((c) => c.managed)).toBe(false);
    // a table without timestamps that defines its own created_at: an ordinary column
    const own = buildModel(snapshot([table('events', [['created_at', 'timestamptz'], ['updated_at', 'timestamptz']], { timestamps: false })]));
    const events = own.tablesByName.get('events')!;
    expect(events.columnsByName.get('created_at')).toMatchObject({ managed: false, hasDefault: false, nullable: true });
    expect(events.columnsByName.get('updated_at')).toMatchObject({ managed: false, hasDefault: false });
  });

  it('ONE_TO_MANY users → posts (author_id): a list on the parent, a nullable to-one on the child', () => {
    expect(t('users').relationsByField.get('posts')).toEqual({
      relationshipId: 'r-users-posts-author_id',
      fieldName: 'posts',
      cardinality: 'many',
      sourceTable: 'users',
      targetTable: 'posts',
      nullable: true,
      join: { via: 'direct', sourceColumn: 'id', targetColumn: 'author_id' },
    });
    expect(t('posts').relationsByField.get('author')).toEqual({
      relationshipId: 'r-users-posts-author_id',
      fieldName: 'author',
      cardinality: 'one',
      sourceTable: 'posts',
      targetTable: 'users',
      nullable: true,
      join: { via: 'direct', sourceColumn: 'author_id', targetColumn: 'id' },
    });
  });

  it('ONE_TO_MANY posts → comments: the child side is not nullable when its FK column is not', () => {
    expect(t('posts').relationsByField.get('comments')).toMatchObject({
      cardinality: 'many', sourceTable: 'posts', targetTable: 'comments', join: { via: 'direct', sourceColumn: 'id', targetColumn: 'post_id' },
    });
    expect(t('comments').relationsByField.get('post')).toMatchObject({
      cardinality: 'one', sourceTable: 'comments', targetTable: 'posts', nullable: false, join: { via: 'direct', sourceColumn: 'post_id', targetColumn: 'id' },
    });
  });

  it('ONE_TO_ONE users → profiles: to-one on both sides', () => {
    expect(t('users').relationsByField.get('profile')).toEqual({
      relationshipId: 'r-users-profiles-user_id',
      fieldName: 'profile',
      cardinality: 'one',
      sourceTable: 'users',
      targetTable: 'profiles',
      nullable: true,
      join: { via: 'direct', sourceColumn: 'id', targetColumn: 'user_id' },
    });
    expect(t('profiles').relationsByField.get('user')).toEqual({
      relationshipId: 'r-users-profiles-user_id',
      fieldName: 'user',
      cardinality: 'one',
      sourceTable: 'profiles',
      targetTable: 'users',
      nullable: false,
      join: { via: 'direct', sourceColumn: 'user_id', targetColumn: 'id' },
    });
  });

  it('MANY_TO_MANY posts ↔ tags through posts_tags: lists on both sides, mirrored junction paths', () => {
    expect(t('posts').relationsByField.get('tags')).toEqual({
      relationshipId: 'r-posts-tags-post_id',
      fieldName: 'tags',
      cardinality: 'many',
      sourceTable: 'posts',
      targetTable: 'tags',
      nullable: false,
      join: { via: 'junction', junctionTable: 'posts_tags', sourceColumn: 'id', junctionSourceColumn: 'post_id', junctionTargetColumn: 'tag_id', targetColumn: 'id' },
    });
    expect(t('tags').relationsByField.get('posts')).toEqual({
      relationshipId: 'r-posts-tags-post_id',
      fieldName: 'posts',
      cardinality: 'many',
      sourceTable: 'tags',
      targetTable: 'posts',
      nullable: false,
      join: { via: 'junction', junctionTable: 'posts_tags', sourceColumn: 'id', junctionSourceColumn: 'tag_id', junctionTargetColumn: 'post_id', targetColumn: 'id' },
    });
  });

  it('relations lists and relationsByField agree, in relationship order', () => {
    expect(t('users').relations.map((r) => r.fieldName)).toEqual(['posts', 'profile']);
    expect(t('posts').relations.map((r) => r.fieldName)).toEqual(['author', 'comments', 'tags']);
    expect(t('comments').relations.map((r) => r.fieldName)).toEqual(['post']);
    expect(t('profiles').relations.map((r) => r.fieldName)).toEqual(['user']);
    expect(t('tags').relations.map((r) => r.fieldName)).toEqual(['posts']);
    expect(t('posts_tags').relations.map((r) => r.fieldName)).toEqual(['post', 'tag']);
    for (const table of model.tables) {
      expect([...table.relationsByField.keys()]).toEqual(table.relations.map((r) => r.fieldName));
      for (const r of table.relations) {
        expect(table.relationsByField.get(r.fieldName)).toBe(r);
        expect(r.sourceTable).toBe(table.name);
        expect(model.tablesByName.has(r.targetTable)).toBe(true);
      }
    }
  });

  it('is pure: same input, equal output, input untouched', () => {
    const before = JSON.stringify(snap);
    const again = buildModel(snap);
    expect(plain(again)).toEqual(plain(model));
    expect(JSON.stringify(snap)).toBe(before);
    expect(plain(buildModel(blogSnapshot()))).toEqual(plain(model));
    // two builds share no mutable state
    expect(again.tables[0]).not.toBe(model.tables[0]);
  });
});

// ---------------------------------------------------------------------------------------------
// diagnostics: a bad table or relation is left out, the rest is built
// ---------------------------------------------------------------------------------------------

describe('buildModel: diagnostics', () => {
  /** builds a frozen snapshot twice, checks purity, returns the model */
  function build(tables: SnapshotTable[], relationships: SnapshotRelationship[] = []): ProjectModel {
    const snap = deepFreeze(snapshot(tables, relationships));
    const model = buildModel(snap);
    expect(plain(buildModel(snap))).toEqual(plain(model));
    return model;
  }
  const ok = () => table('notes', [['text', 'text']]);

  it('an unknown column type leaves the column out with an error; the table stays', () => {
    const m = build([table('posts', [['title', 'text'], ['price', 'money'], ['evil', 'text; drop']]), ok()]);
    expect(tableNamesOf(m)).toEqual(['posts', 'notes']);
    expect(m.tablesByName.get('posts')!.columns.map((c) => c.name)).toEqual(['id', 'title', 'created_at', 'updated_at']);
    expect(m.tablesByName.get('posts')!.columnsByName.has('price')).toBe(false);
    expect(errors(m)).toHaveLength(2);
    expect(errors(m)[0]).toMatchObject({ table: 'posts' });
    expect(errors(m)[0]!.message).toContain('posts.price');
    expect(errors(m)[0]!.message).toContain('money');
    expect(errors(m)[1]!.message).toContain('posts.evil');
  });

  it('a table without an id column is left out', () => {
    const m = build([table('orphans', [['name', 'text']], { noId: true }), ok()]);
    expect(tableNamesOf(m)).toEqual(['notes']);
    expect(errors(m)).toHaveLength(1);
    expect(errors(m)[0]).toMatchObject({ table: 'orphans' });
    expect(errors(m)[0]!.message).toMatch(/orphans.*primary key.*"id"/);
  });

  it('an id column of unknown type counts as no primary key', () => {
    const m = build([table('weird', [], { noId: true }), ok()].map((t) => t.name === 'weird'
      ? { ...t, columns: [{ id: 'c-weird-id', name: 'id', type: 'serial', isNullable: false, defaultValue: null, isUnique: true, encrypted: false, enumValues: [], position: 0 }] }
      : t));
    expect(tableNamesOf(m)).toEqual(['notes']);
    expect(errors(m).map((d) => d.table)).toEqual(['weird', 'weird']);
  });

  it("singular == plural ('sheep') is left out, naming singularName/pluralName", () => {
    const m = build([table('sheep', [['wool', 'text']]), ok()]);
    expect(tableNamesOf(m)).toEqual(['notes']);
    expect(errors(m)).toHaveLength(1);
    expect(errors(m)[0]).toMatchObject({ table: 'sheep' });
    expect(errors(m)[0]!.message).toContain('"sheep"');
    expect(errors(m)[0]!.message).toContain('singularName');
    expect(errors(m)[0]!.message).toContain('pluralName');
  });

  it('an override resolves singular == plural', () => {
    const m = build([table('sheep', [['wool', 'text']], { pluralName: 'flock' })]);
    expect(m.diagnostics).toEqual([]);
    expect(m.tablesByName.get('sheep')!.names).toMatchObject({ type: 'Sheep', list: 'flock', byPk: 'sheep' });
  });

  // [table, opts, built-in type it produces]
  const builtIns: Array<[string, TableOpts, string]> = [
    ['queries', {}, 'Query'],
    ['mutations', {}, 'Mutation'],
    ['subscriptions', {}, 'Subscription'],
    ['things', { singularName: 'date' }, 'Date'],
    ['big_ints', {}, 'BigInt'],
    ['koya_users', {}, 'KoyaUser'],
    ['page_infos', {}, 'PageInfo'],
    ['strings', {}, 'String'],
    // a helper type of the table collides: Order + Direction
    ['orders', { singularName: 'order' }, 'OrderDirection'],
  ];
  it.each(builtIns)('%s %j collides with built-in %s', (name, opts, builtIn) => {
    // OrderDirection is not a helper suffix; cover it with an enum column `direction`
    const specs: ColumnSpec[] = builtIn === 'OrderDirection' ? [['direction', 'enum', { enumValues: ['UP', 'DOWN'] }]] : [];
    const m = build([table(name, specs, opts), ok()]);
    expect(tableNamesOf(m)).toEqual(['notes']);
    expect(errors(m)).toHaveLength(1);
    expect(errors(m)[0]).toMatchObject({ table: name });
    expect(errors(m)[0]!.message).toContain(builtIn);
    expect(errors(m)[0]!.message).toContain('built in');
    expect(errors(m)[0]!.message).toContain('singularName');
  });

  it("'query' singular → Query is refused, and the override fixes it", () => {
    const m = build([table('queries', [['sql', 'text']])]);
    expect(m.tables).toEqual([]);
    expect(errors(m)[0]!.message).toMatch(/Query.*built in.*singularName/);
    const fixed = build([table('queries', [['sql', 'text']], { singularName: 'saved_query' })]);
    expect(fixed.diagnostics).toEqual([]);
    expect(fixed.tablesByName.get('queries')!.names).toMatchObject({ type: 'SavedQuery', list: 'savedQueries' });
  });

  it('between two tables the older one keeps its names; the later one is reported naming the earlier', () => {
    // blog_posts and blogposts both produce BlogPost… but different tables
    const m = build([
      table('blog_posts', [['title', 'text']]),
      table('notes', [['text', 'text']]),
      table('blogposts', [['title', 'text']], { singularName: 'blog_post' }),
    ]);
    expect(tableNamesOf(m)).toEqual(['blog_posts', 'notes']);
    expect(errors(m)).toHaveLength(1);
    expect(errors(m)[0]).toMatchObject({ table: 'blogposts' });
    expect(errors(m)[0]!.message).toContain('blog_posts');
    expect(errors(m)[0]!.message).toContain('BlogPost');
    expect(errors(m)[0]!.message).toContain('singularName');
    // the earlier table's names are intact
    expect(m.tablesByName.get('blog_posts')!.names.type).toBe('BlogPost');

    // reversed snapshot order: the other one wins
    const r = build([
      table('blogposts', [['title', 'text']], { singularName: 'blog_post' }),
      table('blog_posts', [['title', 'text']]),
    ]);
    expect(tableNamesOf(r)).toEqual(['blogposts']);
    expect(errors(r)[0]).toMatchObject({ table: 'blog_posts' });
    expect(errors(r)[0]!.message).toContain('blogposts');
  });

  it('a helper type of one table colliding with the object type of another is refused', () => {
    // posts → PostEdge; post_edges → type PostEdge
    const m = build([table('posts', []), table('post_edges', [])]);
    expect(tableNamesOf(m)).toEqual(['posts']);
    expect(errors(m)[0]).toMatchObject({ table: 'post_edges' });
    expect(errors(m)[0]!.message).toMatch(/PostEdge.*posts/);
  });

  it("an enum column's type colliding with another table's type is refused", () => {
    // posts.status → PostStatus; post_statuses → type PostStatus
    const m = build([table('posts', [['status', 'enum', { enumValues: ['DRAFT'] }]]), table('post_statuses', [])]);
    expect(tableNamesOf(m)).toEqual(['posts']);
    expect(errors(m)[0]!.message).toMatch(/PostStatus.*posts/);
  });

  it('a root field colliding between two tables is refused, naming the overrides', () => {
    // people: list `people`; persons with pluralName people: list `people` too (type differs via singularName)
    const m = build([table('people', []), table('humans', [], { singularName: 'human', pluralName: 'people' })]);
    expect(tableNamesOf(m)).toEqual(['people']);
    expect(errors(m)[0]).toMatchObject({ table: 'humans' });
    expect(errors(m)[0]!.message).toMatch(/people.*collides with table people/);
    expect(errors(m)[0]!.message).toContain('pluralName');
  });

  // [table, opts, reserved root field, override named]
  const reserved: Array<[string, TableOpts, string, string]> = [
    ['logins', { pluralName: 'sign_in' }, 'signIn', 'pluralName'],
    ['sign_ups', {}, 'signUp', 'singularName'],
    ['koya_files', {}, 'koyaFiles', 'pluralName'],
    ['email_logs', {}, 'emailLogChanged', 'singularName'],
    ['webhooks', {}, 'webhookChanged', 'singularName'],
  ];
  it.each(reserved)('%s %j produces reserved root field %s', (name, opts, field, override) => {
    const m = build([table(name, [['x', 'text']], opts), ok()]);
    expect(tableNamesOf(m)).toEqual(['notes']);
    expect(errors(m)).toHaveLength(1);
    expect(errors(m)[0]).toMatchObject({ table: name });
    expect(errors(m)[0]!.message).toContain(`${field} is reserved`);
    expect(errors(m)[0]!.message).toContain(`set ${override}`);
  });

  it("an enum column's type colliding with one of the table's own types is refused", () => {
    // posts.filter → PostFilter (= the table's filter input); posts.list → PostListFilter (= its to-many filter)
    for (const column of ['filter', 'edge', 'group', 'aggregate', 'list', 'sum_fields', 'column']) {
      const m = build([table('posts', [[column, 'enum', { enumValues: ['A'] }]]), ok()]);
      expect(tableNamesOf(m), column).toEqual(['notes']);
      expect(errors(m), column).toHaveLength(1);
      expect(errors(m)[0]).toMatchObject({ table: 'posts' });
      expect(errors(m)[0]!.message).toContain(column);
    }
  });

  it('the generated ListFilter, GroupOrderBy, Column and enum Filter types take part in collisions', () => {
    // posts → PostListFilter / PostGroupOrderBy; tables whose own type is one of these
    // [table, singularName, colliding type]
    for (const [other, singularName, typeName] of [
      ['post_list_filters', null, 'PostListFilter'],
      ['group_orderings', 'post_group_order_by', 'PostGroupOrderBy'],
      ['post_columns', null, 'PostColumn'],
    ] as const) {
      const m = build([table('posts', []), table(other, [], { singularName })]);
      expect(tableNamesOf(m), other).toEqual(['posts']);
      expect(errors(m)[0]!.message, other).toContain(`${typeName} collides with table posts`);
    }
    // posts.state → PostState + PostStateFilter; a table post_state_filters → PostStateFilter
    const m = build([table('posts', [['state', 'enum', { enumValues: ['A'] }]]), table('post_state_filters', [])]);
    expect(tableNamesOf(m)).toEqual(['posts']);
    expect(errors(m)[0]!.message).toMatch(/PostStateFilter.*posts/);
  });

  it('a relation field colliding with a column is left out; its other side stays', () => {
    // posts has a column `author`; the child-side field `author` collides
    const m = build(
      [table('users', [['email', 'text']]), table('posts', [['author', 'text'], ['author_id', 'uuid']])],
      [rel('ONE_TO_MANY', 'users', 'posts', 'author_id', 'posts', 'author')],
    );
    expect(tableNamesOf(m)).toEqual(['users', 'posts']);
    expect(errors(m)).toHaveLength(1);
    expect(errors(m)[0]).toMatchObject({ table: 'posts' });
    expect(errors(m)[0]!.message).toContain('posts.author');
    const posts = m.tablesByName.get('posts')!;
    expect(posts.relations).toEqual([]);
    expect(posts.columnsByName.get('author')!.type).toEqual({ kind: 'text' });
    expect(m.tablesByName.get('users')!.relationsByField.get('posts')).toMatchObject({ cardinality: 'many', targetTable: 'posts' });
  });

  it('a relation field colliding with another relation field is left out; the first keeps it', () => {
    const m = build(
      [table('users', []), table('posts', [['author_id', 'uuid'], ['editor_id', 'uuid']])],
      [rel('ONE_TO_MANY', 'users', 'posts', 'author_id', 'posts', 'author'), rel('ONE_TO_MANY', 'users', 'posts', 'editor_id', 'posts', 'editor')],
    );
    const users = m.tablesByName.get('users')!;
    expect(users.relations.map((r) => r.fieldName)).toEqual(['posts']);
    expect((users.relationsByField.get('posts')!.join as { targetColumn: string }).targetColumn).toBe('author_id');
    expect(m.tablesByName.get('posts')!.relations.map((r) => r.fieldName)).toEqual(['author', 'editor']);
    expect(errors(m)).toHaveLength(1);
    expect(errors(m)[0]!.message).toContain('users.posts');
  });

  it('a relationship to a missing FK column is left out with an error', () => {
    const m = build(
      [table('users', []), table('posts', [['title', 'text']]), table('comments', [['post_id', 'uuid']])],
      [rel('ONE_TO_MANY', 'users', 'posts', 'author_id', 'posts', 'author'), rel('ONE_TO_MANY', 'posts', 'comments', 'post_id', 'comments', 'post')],
    );
    expect(tableNamesOf(m)).toEqual(['users', 'posts', 'comments']);
    expect(errors(m)).toHaveLength(1);
    expect(errors(m)[0]).toMatchObject({ table: 'posts' });
    expect(errors(m)[0]!.message).toContain('posts.author_id');
    expect(m.tablesByName.get('users')!.relations).toEqual([]);
    expect(m.tablesByName.get('posts')!.relations.map((r) => r.fieldName)).toEqual(['comments']);
    expect(m.tablesByName.get('comments')!.relations.map((r) => r.fieldName)).toEqual(['post']);
  });

  it('a many-to-many without a usable junction is left out with an error', () => {
    const tables = [table('posts', []), table('tags', []), table('posts_tags', [['post_id', 'uuid'], ['tag_id', 'uuid']], { timestamps: false })];
    const m2m = (extra: Partial<SnapshotRelationship>) => rel('MANY_TO_MANY', 'posts', 'tags', 'post_id', 'tags', 'posts', { junctionTableId: tableId('posts_tags'), junctionTargetColumn: 'tag_id', ...extra });
    for (const [label, extra, mentions] of [
      ['no junction table', { junctionTableId: null }, 'junction'],
      ['junction table unknown', { junctionTableId: 't-gone' }, 'junction'],
      ['no target column', { junctionTargetColumn: null }, 'junction'],
      ['target column missing from the junction', { junctionTargetColumn: 'label_id' }, 'label_id'],
      ['source column missing from the junction', { foreignKeyColumn: 'article_id' }, 'article_id'],
    ] as Array<[string, Partial<SnapshotRelationship>, string]>) {
      const m = build(tables, [m2m(extra)]);
      expect(tableNamesOf(m), label).toEqual(['posts', 'tags', 'posts_tags']);
      expect(errors(m), label).toHaveLength(1);
      expect(errors(m)[0]!.message, label).toContain(mentions);
      expect(m.tablesByName.get('posts')!.relations, label).toEqual([]);
      expect(m.tablesByName.get('tags')!.relations, label).toEqual([]);
    }
  });

  it('relationships touching a left-out table are dropped silently (the table already has its error)', () => {
    const m = build(
      [table('users', []), table('sheep', [['owner_id', 'uuid']])],
      [rel('ONE_TO_MANY', 'users', 'sheep', 'owner_id', 'sheep', 'owner')],
    );
    expect(tableNamesOf(m)).toEqual(['users']);
    expect(errors(m).map((d) => d.table)).toEqual(['sheep']);
    expect(m.tablesByName.get('users')!.relations).toEqual([]);
  });

  it('one bad table does not prevent the others from being built', () => {
    const base = blogSnapshot();
    const bad = [
      table('sheep', []),
      table('queries', []),
      table('orphans', [], { noId: true }),
      table('logins', [], { pluralName: 'sign_in' }),
      table('blogposts', [], { singularName: 'post' }),
    ];
    const m = build([...base.tables.slice(0, 3), ...bad, ...base.tables.slice(3)], base.relationships);
    expect(tableNamesOf(m)).toEqual(['users', 'profiles', 'posts', 'comments', 'tags', 'posts_tags']);
    expect(errors(m).map((d) => d.table)).toEqual(['sheep', 'queries', 'orphans', 'logins', 'blogposts']);
    const good = buildModel(blogSnapshot());
    expect(plain({ ...m, diagnostics: [] })).toEqual(plain(good));
  });
});
