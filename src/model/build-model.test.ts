import { describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import type { ProjectModel, TableModel } from './project-model.js';
import type { MetaSnapshot, SnapshotRelationship, SnapshotTable } from './snapshot.js';
import { ColumnSpec, TableOpts, tableId, table, rel, snapshot, deepFreeze, plain, errors, tableNamesOf, blogSnapshot } from './build-model.fixtures.js';

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
