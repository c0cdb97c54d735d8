/**
 * Token buckets by key (rate limits per project and per user). A bucket holds up to `burst`
 * tokens and refills at `perSecond`; a request takes one. Buckets are created lazily and the map
 * is bounded: when full, buckets that have refilled completely (i.e. idle) are dropped first.
 */
export interface TakeResult {
  ok: boolean;
  /** seconds until a token is available (when refused) */
  retryAfter: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly maxKeys = 100_000, private readonly now: () => number = () => performance.now()) {}

  take(key: string, perSecond: number, burst: number): TakeResult {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.evict(t, perSecond, burst);
      b = { tokens: burst, at: t };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
      b.at = t;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, retryAfter: 0 };
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
  }

  private evict(t: number, perSecond: number, burst: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((t - b.at) / 1000) * perSecond >= burst) this.buckets.delete(k);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}
