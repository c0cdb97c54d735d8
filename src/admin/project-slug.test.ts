import { describe, expect, it } from 'vitest';
import { KoyaError } from '../lib/errors.js';
import { schemaNameForSlug, validateSlug } from './project-slug.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}

describe('validateSlug', () => {
  it.each(['shop', 'my-shop', 'my_shop', 'a1', 'ab', 'pg', 'koya', 'publics', 'auth-service', 'shop-2-b', 'a'.repeat(40)])(
    'accepts %j and returns it unchanged',
    (slug) => {
      expect(validateSlug(slug)).toBe(slug);
    },
  );

  const rejected: Array<[string, string]> = [
    ['uppercase', 'Shop'],
    ['all uppercase', 'SHOP'],
    ['too short', 'a'],
    ['empty', ''],
    ['too long', 'a'.repeat(41)],
    ['leading digit', '1shop'],
    ['leading hyphen', '-shop'],
    ['leading underscore', '_shop'],
    ['space', 'my shop'],
    ['dot', 'my.shop'],
    ['slash', 'my/shop'],
    ['quote', 'sh"op'],
    ['non-ascii', 'café'],
    ['reserved public', 'public'],
    ['reserved koyalite', 'koyalite'],
    ['reserved auth', 'auth'],
    ['reserved admin', 'admin'],
    ['reserved graphql', 'graphql'],
    ['reserved storage', 'storage'],
    ['reserved extensions', 'extensions'],
    ['reserved information_schema', 'information_schema'],
    ['reserved via hyphen mapping', 'information-schema'],
    ['pg_ prefix', 'pg_x'],
    ['pg- prefix maps to pg_', 'pg-catalog'],
    ['koya_ prefix', 'koya_meta'],
    ['koya- prefix maps to koya_', 'koya-meta'],
    ['trailing hyphen', 'shop-'],
    ['trailing underscore', 'shop_'],
  ];

  it.each(rejected)('rejects %s (%j) with BAD_USER_INPUT on field slug', (_label, slug) => {
    const err = thrown(() => validateSlug(slug));
    expect(err).toBeInstanceOf(KoyaError);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'slug' } });
  });
});

describe('schemaNameForSlug', () => {
  it.each<[string, string]>([
    ['shop', 'shop'],
    ['my-shop', 'my_shop'],
    ['a-b-c', 'a_b_c'],
    ['my_shop', 'my_shop'],
    ['mixed-and_under', 'mixed_and_under'],
  ])('%s → %s', (slug, schema) => {
    expect(schemaNameForSlug(slug)).toBe(schema);
  });

  it('collapses "-" and "_" to the same schema (slugs differing only there collide)', () => {
    expect(schemaNameForSlug('my-shop')).toBe(schemaNameForSlug('my_shop'));
  });
});
