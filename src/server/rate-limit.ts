/**
 * Rate limits of the project's settings: a token bucket for the whole project and one per caller
 * (its token, or its address when it has none). HTTP answers a refusal with 429 and Retry-After,
 * graphql-ws with a RATE_LIMITED error of the operation; both before any work is done.
 */
import type { ProjectSchema } from '../graphql/schema-registry.js';
import type { TokenBuckets } from '../lib/token-bucket.js';

export function takeRateLimit(buckets: TokenBuckets, entry: ProjectSchema, caller: string): { ok: true } | { ok: false; retryAfter: number } {
  const limits = entry.model.rateLimits;
  if (!limits) return { ok: true };
  const project = buckets.take(`p\u0000${entry.slug}`, limits.requestsPerSecond, limits.burstSize);
  const user = project.ok ? buckets.take(`u\u0000${entry.slug}\u0000${caller}`, limits.requestsPerSecond, limits.burstSize) : project;
  return project.ok && user.ok ? { ok: true } : { ok: false, retryAfter: user.retryAfter };
}
