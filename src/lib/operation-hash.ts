/** The key of a persisted operation: hex sha256 of its exact text (Apollo's persisted-query hash). */
import { createHash } from 'node:crypto';

export function operationHash(query: string): string {
  return createHash('sha256').update(query, 'utf8').digest('hex');
}
