import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './webhook-delivery.js';

describe('retryDelayMs', () => {
  it('doubles from the base with ±20 % jitter', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, () => 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(3, 1000, () => 0)).toBe(3200);
    expect(retryDelayMs(3, 1000, () => 1)).toBe(4800);
  });

  it('waits at most an hour (plus jitter)', () => {
    expect(retryDelayMs(40, 1000, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(40, 1000, () => 1)).toBe(4_320_000);
  });
});
