/**
 * Project slugs name the endpoint (/projects/<slug>/graphql), permission resources
 * (`<slug>:posts`) and, with hyphens as underscores, the project's Postgres schema.
 */
import { badInput } from '../lib/errors.js';

const SLUG = /^[a-z][a-z0-9_-]{1,39}$/;

/** Schemas KoyaLite or Postgres own; a project may never take them. */
const RESERVED = new Set(['public', 'koyalite', 'auth', 'information_schema', 'admin', 'graphql', 'storage', 'extensions']);

export function validateSlug(slug: string): string {
  if (!SLUG.test(slug)) {
    throw badInput(
      'slug must be 2-40 characters: lowercase letters, digits, "-" or "_", starting with a letter',
      { field: 'slug' },
    );
  }
  const schema = schemaNameForSlug(slug);
  if (RESERVED.has(schema) || schema.startsWith('pg_') || schema.startsWith('koya_') || slug.endsWith('-') || slug.endsWith('_')) {
    throw badInput(`slug "${slug}" is reserved or ends with a separator; choose another`, { field: 'slug' });
  }
  return slug;
}

export function schemaNameForSlug(slug: string): string {
  return slug.replace(/-/g, '_');
}
