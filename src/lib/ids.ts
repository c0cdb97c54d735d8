import { badInput } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Ids are uuids; anything else is BAD_USER_INPUT before it reaches the database. */
export function assertUuid(value: string, field = 'id'): string {
  if (!UUID.test(value)) throw badInput(`${field} must be a UUID`, { field });
  return value.toLowerCase();
}
