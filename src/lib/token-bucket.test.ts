import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-bucket.js';

describe('TokenBuckets', () => {
  it('allows a burst, then refuses with a retry time, then refills at the rate', () => {
    let now = 0;
    const b = new TokenBuckets(100, () => now);
    const results = Array.from({ length: 7 }, () => b.take('k', 5, 5));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, false, false]);
    expect(results[5]!.retryAfter).toBe(1);
    now += 200; // one token at 5/s
    expect(b.take('k', 5, 5).ok).toBe(true);
    expect(b.take('k', 5, 5).ok).toBe(false);
    now += 10_000; // never more than the burst
    expect(Array.from({ length: 6 }, () => b.take('k', 5, 5).ok).filter(Boolean)).toHaveLength(5);
  });

  it('keeps keys apart and stays bounded', () => {
    let now = 0;
    const b = new TokenBuckets(3, () => now);
    expect(b.take('a', 1, 1).ok).toBe(true);
    expect(b.take('a', 1, 1).ok).toBe(false);
    expect(b.take('b', 1, 1).ok).toBe(true);
    for (let i = 0; i < 10; i++) b.take(`x${i}`, 1, 1);
    now += 5000;
    expect(b.take('a', 1, 1).ok).toBe(true);
  });
});
