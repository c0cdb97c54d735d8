/**
 * Resolved principals by user id, so a request does not re-read user, role and permissions.
 * Any change to users, roles or permissions clears it: at once in the instance that made the
 * change, and in every other instance through NOTIFY on AUTH_CHANNEL. The TTL bounds staleness
 * should a notification ever be missed (e.g. while the LISTEN connection reconnects).
 */
import type { Principal } from './principal.js';

export const AUTH_CHANNEL = 'koyalite_auth';

export class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; expires: number }>();

  constructor(private readonly ttlMs = 30_000, private readonly maxEntries = 10_000) {}

  get(userId: string): Principal | undefined {
    const e = this.entries.get(userId);
    if (!e) return undefined;
    if (e.expires < Date.now()) {
      this.entries.delete(userId);
      return undefined;
    }
    return e.principal;
  }

  set(principal: Principal): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(principal.userId, { principal, expires: Date.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
