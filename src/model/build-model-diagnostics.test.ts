import { describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import type { ProjectModel, TableModel } from './project-model.js';
import type { MetaSnapshot, SnapshotRelationship, SnapshotTable } from './snapshot.js';
import { ColumnSpec, TableOpts, tableId, table, rel, snapshot, deepFreeze, plain, errors, tableNamesOf, blogSnapshot } from './build-model.fixtures.js';

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
