import { describe, expect, it } from 'vitest';
import { BUILT_IN_TYPE_NAMES, RESERVED_ROOT_FIELDS, camel, pascal, pluralOf, singularOf, tableNames, type TableNames } from './inflection.js';

describe('pascal / camel', () => {
  // [input, pascal, camel]
  const cases: Array<[string, string, string]> = [
    ['posts', 'Posts', 'posts'],
    ['post', 'Post', 'post'],
    ['blog_posts', 'BlogPosts', 'blogPosts'],
    ['blog_post', 'BlogPost', 'blogPost'],
    ['a_b_c', 'ABC', 'aBC'],
    ['sign_in', 'SignIn', 'signIn'],
    ['email_log', 'EmailLog', 'emailLog'],
    ['user2_items', 'User2Items', 'user2Items'],
    ['double__underscore', 'DoubleUnderscore', 'doubleUnderscore'],
    ['_leading', 'Leading', 'leading'],
    ['trailing_', 'Trailing', 'trailing'],
    ['already', 'Already', 'already'],
    ['with space', 'WithSpace', 'withSpace'],
    ['x', 'X', 'x'],
  ];
  it.each(cases)('%s → %s / %s', (input, p, c) => {
    expect(pascal(input)).toBe(p);
    expect(camel(input)).toBe(c);
  });
});

describe('singularOf / pluralOf', () => {
  // [plural table name, singular]
  const cases: Array<[string, string]> = [
    ['posts', 'post'],
    ['users', 'user'],
    ['comments', 'comment'],
    ['tags', 'tag'],
    ['people', 'person'],
    ['categories', 'category'],
    ['statuses', 'status'],
    ['addresses', 'address'],
    ['boxes', 'box'],
    ['blog_posts', 'blog_post'],
    ['blog_categories', 'blog_category'],
    ['team_people', 'team_person'],
    ['user_statuses', 'user_status'],
  ];
  it.each(cases)('singularOf(%s) = %s', (plural, singular) => {
    expect(singularOf(plural)).toBe(singular);
  });
  it.each(cases)('pluralOf(singular of %s) round-trips', (plural, singular) => {
    expect(pluralOf(singular)).toBe(plural);
  });

  it('only inflects the last word of snake_case', () => {
    expect(singularOf('posts_tags')).toBe('posts_tag');
    expect(pluralOf('news_item')).toBe('news_items');
    expect(singularOf('people_categories')).toBe('people_category');
  });

  it('an uncountable word is its own singular and plural', () => {
    expect(singularOf('sheep')).toBe('sheep');
    expect(pluralOf('sheep')).toBe('sheep');
  });
});

/** The scalar members of TableNames plus the functional ones applied to samples. */
function namesList(n: TableNames): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(n)) if (typeof v === 'string') out[k] = v;
  return out;
}

describe('tableNames', () => {
  it("'posts' gives every SPEC name", () => {
    const n = tableNames('posts');
    expect(namesList(n)).toEqual({
      type: 'Post',
      list: 'posts',
      byPk: 'post',
      connection: 'postsConnection',
      aggregate: 'postsAggregate',
      insertOne: 'insertPost',
      insertMany: 'insertPosts',
      updateOne: 'updatePost',
      updateMany: 'updatePosts',
      deleteOne: 'deletePost',
      deleteMany: 'deletePosts',
      similar: 'similarPosts',
      changed: 'postChanged',
      filter: 'PostFilter',
      orderBy: 'PostOrderBy',
      connectionType: 'PostConnection',
      edge: 'PostEdge',
      aggregateType: 'PostAggregate',
      group: 'PostGroup',
      groupKey: 'PostGroupKey',
      groupByColumn: 'PostGroupByColumn',
      insertInput: 'PostInsertInput',
      setInput: 'PostSetInput',
      incInput: 'PostIncInput',
      onConflict: 'PostOnConflict',
      mutationResult: 'PostMutationResult',
      similarity: 'PostSimilarity',
      changeEvent: 'PostChangeEvent',
    });
    expect(n.aggregateFields('Sum')).toBe('PostSumFields');
    expect(n.aggregateFields('Avg')).toBe('PostAvgFields');
    expect(n.aggregateFields('Min')).toBe('PostMinFields');
    expect(n.aggregateFields('Max')).toBe('PostMaxFields');
    expect(n.enumType('status')).toBe('PostStatus');
    expect(n.enumType('review_state')).toBe('PostReviewState');
  });

  // [table, singular override, plural override, type, list, byPk, insertMany, changed, connection]
  const cases: Array<[string, string | null, string | null, string, string, string, string, string, string]> = [
    ['posts', null, null, 'Post', 'posts', 'post', 'insertPosts', 'postChanged', 'postsConnection'],
    ['blog_posts', null, null, 'BlogPost', 'blogPosts', 'blogPost', 'insertBlogPosts', 'blogPostChanged', 'blogPostsConnection'],
    ['people', null, null, 'Person', 'people', 'person', 'insertPeople', 'personChanged', 'peopleConnection'],
    ['categories', null, null, 'Category', 'categories', 'category', 'insertCategories', 'categoryChanged', 'categoriesConnection'],
    ['statuses', null, null, 'Status', 'statuses', 'status', 'insertStatuses', 'statusChanged', 'statusesConnection'],
    // singular override: plural follows it
    ['posts', 'article', null, 'Article', 'articles', 'article', 'insertArticles', 'articleChanged', 'articlesConnection'],
    ['blog_posts', 'blog_entry', null, 'BlogEntry', 'blogEntries', 'blogEntry', 'insertBlogEntries', 'blogEntryChanged', 'blogEntriesConnection'],
    // plural override: singular still from the table name
    ['sheep', null, 'sheep_flock', 'Sheep', 'sheepFlock', 'sheep', 'insertSheepFlock', 'sheepChanged', 'sheepFlockConnection'],
    ['people', null, 'persons', 'Person', 'persons', 'person', 'insertPersons', 'personChanged', 'personsConnection'],
    // both overridden
    ['data', 'data_point', 'data_points', 'DataPoint', 'dataPoints', 'dataPoint', 'insertDataPoints', 'dataPointChanged', 'dataPointsConnection'],
    ['sheep', 'a_sheep', 'many_sheep', 'ASheep', 'manySheep', 'aSheep', 'insertManySheep', 'aSheepChanged', 'manySheepConnection'],
  ];
  it.each(cases)('%s (singular %s, plural %s) → %s %s %s', (table, singular, plural, type, list, byPk, insertMany, changed, connection) => {
    const n = tableNames(table, singular, plural);
    expect(n.type).toBe(type);
    expect(n.list).toBe(list);
    expect(n.byPk).toBe(byPk);
    expect(n.insertMany).toBe(insertMany);
    expect(n.changed).toBe(changed);
    expect(n.connection).toBe(connection);
    expect(n.insertOne).toBe(`insert${type}`);
    expect(n.filter).toBe(`${type}Filter`);
  });

  it('undefined overrides behave like null', () => {
    expect(namesList(tableNames('blog_posts', undefined, undefined))).toEqual(namesList(tableNames('blog_posts', null, null)));
  });

  it('type names are Pascal and root fields camel for every table', () => {
    for (const t of ['posts', 'blog_posts', 'people', 'user_statuses']) {
      const n = tableNames(t);
      for (const name of [n.type, n.filter, n.orderBy, n.edge, n.group, n.aggregateFields('Max'), n.enumType('kind')]) expect(name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      for (const name of [n.list, n.byPk, n.connection, n.aggregate, n.insertOne, n.deleteMany, n.similar, n.changed]) expect(name).toMatch(/^[a-z][A-Za-z0-9]*$/);
    }
  });
});

describe('built-in and reserved names', () => {
  it.each(['Query', 'Mutation', 'Subscription', 'UUID', 'DateTime', 'Date', 'JSON', 'BigInt', 'Decimal', 'String', 'Int', 'Float', 'Boolean', 'ID', 'PageInfo', 'OrderDirection', 'KoyaSession', 'KoyaUser', 'KoyaFile'])('%s is a built-in type name', (name) => {
    expect(BUILT_IN_TYPE_NAMES.has(name)).toBe(true);
  });
  it.each(['signIn', 'signUp', 'uploadFile', 'koyaFiles', 'sendEmail', 'invokeFunction', 'emailLogChanged', 'webhookChanged', 'scheduledTaskChanged'])('%s is a reserved root field', (name) => {
    expect(RESERVED_ROOT_FIELDS.has(name)).toBe(true);
  });
  it('ordinary generated names are neither', () => {
    const n = tableNames('posts');
    expect(BUILT_IN_TYPE_NAMES.has(n.type)).toBe(false);
    expect(RESERVED_ROOT_FIELDS.has(n.list)).toBe(false);
  });
});
