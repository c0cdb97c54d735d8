import { describe, expect, it } from 'vitest';
import { can, isValidResource, resourceCovers, type Action, type PermissionGrant } from './permissions.js';

describe('resourceCovers', () => {
  // [granted, requested, covers]
  const table: Array<[string, string, boolean]> = [
    ['*', '*', true],
    ['*', 'shop:*', true],
    ['*', 'shop:posts', true],
    ['*', 'shop:posts.title', true],

    ['shop:*', 'shop:*', true],
    ['shop:*', 'shop:posts', true],
    ['shop:*', 'shop:posts.title', true],
    ['shop:*', 'blog:posts', false],
    ['shop:*', 'blog:*', false],
    ['shop:*', '*', false],
    ['shop:*', 'shopx:posts', false],
    ['shop:*', 'sho:posts', false],

    ['shop:posts', 'shop:posts', true],
    ['shop:posts', 'shop:posts.title', true],
    ['shop:posts', 'shop:posts_archive', false],
    ['shop:posts', 'shop:postsx.title', false],
    ['shop:posts', 'shop:comments', false],
    ['shop:posts', 'shop:comments.title', false],
    ['shop:posts', 'shop:*', false],
    ['shop:posts', '*', false],
    ['shop:posts', 'blog:posts', false],
    ['shop:posts', 'blog:posts.title', false],

    ['shop:posts.title', 'shop:posts.title', true],
    ['shop:posts.title', 'shop:posts', false],
    ['shop:posts.title', 'shop:posts.body', false],
    ['shop:posts.title', 'shop:posts.title_2', false],
    ['shop:posts.title', 'shop:*', false],
    ['shop:posts.title', 'blog:posts.title', false],
  ];

  it.each(table)('%s covers %s → %s', (granted, requested, expected) => {
    expect(resourceCovers(granted, requested)).toBe(expected);
  });
});

describe('can', () => {
  const actions: Action[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MANAGE'];

  it.each(actions)('MANAGE on a resource implies %s on it and below', (action) => {
    const grants: PermissionGrant[] = [{ action: 'MANAGE', resource: 'shop:posts' }];
    expect(can(grants, action, 'shop:posts')).toBe(true);
    expect(can(grants, action, 'shop:posts.title')).toBe(true);
    expect(can(grants, action, 'shop:comments')).toBe(false);
    expect(can(grants, action, 'blog:posts')).toBe(false);
  });

  it.each(actions.filter((a) => a !== 'MANAGE'))('a %s grant implies no other action and not MANAGE', (granted) => {
    const grants: PermissionGrant[] = [{ action: granted, resource: '*' }];
    for (const action of actions) {
      expect(can(grants, action, 'shop:posts')).toBe(action === granted);
    }
  });

  // [grants, action, resource, allowed]
  const table: Array<[string, PermissionGrant[], Action, string, boolean]> = [
    ['no grants', [], 'SELECT', 'shop:posts', false],
    ['global select', [{ action: 'SELECT', resource: '*' }], 'SELECT', 'blog:anything.col', true],
    ['project select', [{ action: 'SELECT', resource: 'shop:*' }], 'SELECT', 'shop:posts.title', true],
    ['project select, other slug', [{ action: 'SELECT', resource: 'shop:*' }], 'SELECT', 'blog:posts', false],
    ['table update', [{ action: 'UPDATE', resource: 'shop:posts' }], 'UPDATE', 'shop:posts', true],
    ['table update, wrong action', [{ action: 'UPDATE', resource: 'shop:posts' }], 'DELETE', 'shop:posts', false],
    ['column grant does not cover the table', [{ action: 'SELECT', resource: 'shop:posts.title' }], 'SELECT', 'shop:posts', false],
    ['column grant covers its column', [{ action: 'SELECT', resource: 'shop:posts.title' }], 'SELECT', 'shop:posts.title', true],
    ['column grant, other column', [{ action: 'SELECT', resource: 'shop:posts.title' }], 'SELECT', 'shop:posts.body', false],
    ['column MANAGE does not cover the table', [{ action: 'MANAGE', resource: 'shop:posts.title' }], 'SELECT', 'shop:posts', false],
    [
      'any matching grant among several',
      [
        { action: 'SELECT', resource: 'blog:*' },
        { action: 'INSERT', resource: 'shop:posts' },
        { action: 'DELETE', resource: 'shop:comments' },
      ],
      'INSERT',
      'shop:posts.title',
      true,
    ],
    [
      'action and resource must match on the same grant',
      [
        { action: 'SELECT', resource: 'shop:posts' },
        { action: 'DELETE', resource: 'shop:comments' },
      ],
      'DELETE',
      'shop:posts',
      false,
    ],
  ];

  it.each(table)('%s', (_label, grants, action, resource, expected) => {
    expect(can(grants, action, resource)).toBe(expected);
  });
});

describe('isValidResource', () => {
  const table: Array<[string, boolean]> = [
    ['*', true],
    ['shop:*', true],
    ['shop:posts', true],
    ['shop:Posts_2', true],
    ['shop:_hidden', true],
    ['shop:posts.title', true],
    ['my-shop:posts.title', true],
    ['a1:posts', true],
    ['a'.repeat(40) + ':posts', true],

    ['', false],
    ['**', false],
    ['shop', false],
    ['shop:', false],
    [':posts', false],
    ['*:posts', false],
    ['*:*', false],
    ['Shop:posts', false],
    ['1shop:posts', false],
    ['s:posts', false],
    ['a'.repeat(41) + ':posts', false],
    ['shop:*.title', false],
    ['shop:posts.*', false],
    ['shop:posts.title.extra', false],
    ['shop:posts.', false],
    ['shop:1posts', false],
    ['shop:posts-x', false],
    ['shop:po sts', false],
    ['shop:posts;drop', false],
    [' shop:posts', false],
    ['shop:posts\n', false],
  ];

  it.each(table)('%j → %s', (resource, expected) => {
    expect(isValidResource(resource)).toBe(expected);
  });
});
