/**
 * Explains a failed DDL statement by its SQLSTATE class, in words that tell the admin what to
 * change; never echoes the database's own message (it may quote data).
 */
import { badInput, KoyaError } from '../lib/errors.js';
import { sqlState } from '../meta/prisma-errors.js';

export function explainDdlError(err: unknown, what: string): unknown {
  if (err instanceof KoyaError) return err;
  const state = sqlState(err);
  if (state === undefined) return err;
  const reasons: Record<string, string> = {
    '23502': 'existing rows have no value for it; give it a default or make it nullable',
    '23505': 'existing rows have duplicate values',
    '23514': 'existing rows do not satisfy it',
    '23503': 'existing rows reference missing rows',
    '22P02': 'existing data cannot be converted to the new type',
    '22003': 'existing values are out of range for the new type',
    '22007': 'existing data is not a valid date/time',
    '22008': 'existing data is out of the date/time range',
    '42804': 'existing data cannot be converted to the new type',
    '42846': 'existing data cannot be converted to the new type',
    '2BP01': 'other objects depend on it',
    '42P07': 'an object of that name already exists in the database',
    '42701': 'a column of that name already exists in the database',
  };
  const reason = reasons[state] ?? (state.startsWith('22') || state.startsWith('23') ? 'existing data does not allow it' : undefined);
  if (reason === undefined) return err;
  return badInput(`cannot ${what}: ${reason}`, { sqlState: state });
}
