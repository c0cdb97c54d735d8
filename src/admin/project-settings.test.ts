import { describe, expect, it } from 'vitest';
import { KoyaError } from '../lib/errors.js';
import { DEFAULT_SETTINGS, mergeSettings, readSettings, type ProjectSettings, type ProjectSettingsInput } from './project-settings.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}

const CUSTOM: ProjectSettings = {
  environment: 'STAGING',
  complianceFlags: { hipaaEnabled: true, gdprEnabled: false, ccpaEnabled: true },
  rateLimits: { requestsPerSecond: 50, burstSize: 100 },
  allowSignUp: true,
  defaultRole: 'member',
  maxPageSize: 200,
  externalIssuer: null,
  limits: null,
  operationAllowList: true,
};

describe('readSettings', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['empty object', {}],
  ])('fills every default from %s', (_label, stored) => {
    expect(readSettings(stored)).toEqual(DEFAULT_SETTINGS);
  });

  it.each<[string, unknown, Partial<ProjectSettings>]>([
    ['environment only', { environment: 'PRODUCTION' }, { environment: 'PRODUCTION' }],
    [
      'one compliance flag',
      { complianceFlags: { gdprEnabled: true } },
      { complianceFlags: { hipaaEnabled: false, gdprEnabled: true, ccpaEnabled: false } },
    ],
    ['rate limits', { rateLimits: { requestsPerSecond: 5, burstSize: 10 } }, { rateLimits: { requestsPerSecond: 5, burstSize: 10 } }],
    ['allowSignUp false kept (not replaced by default)', { allowSignUp: false }, { allowSignUp: false }],
    ['allowSignUp true', { allowSignUp: true }, { allowSignUp: true }],
    ['defaultRole', { defaultRole: 'reader' }, { defaultRole: 'reader' }],
    ['maxPageSize', { maxPageSize: 25 }, { maxPageSize: 25 }],
  ])('keeps stored %s and defaults the rest', (_label, stored, expectedOverrides) => {
    expect(readSettings(stored)).toEqual({ ...DEFAULT_SETTINGS, ...expectedOverrides });
  });

  it('round-trips a complete stored object', () => {
    expect(readSettings(structuredClone(CUSTOM))).toEqual(CUSTOM);
  });

  it('returns fresh objects: mutating the result does not change the defaults', () => {
    const s = readSettings({});
    s.complianceFlags.hipaaEnabled = true;
    expect(DEFAULT_SETTINGS.complianceFlags.hipaaEnabled).toBe(false);
    expect(readSettings({}).complianceFlags.hipaaEnabled).toBe(false);
  });
});

describe('mergeSettings', () => {
  it.each<[string, ProjectSettingsInput | null | undefined]>([
    ['null input', null],
    ['undefined input', undefined],
    ['empty input', {}],
    [
      'all-null input',
      { environment: null, complianceFlags: null, allowSignUp: null, defaultRole: null, maxPageSize: null },
    ],
    ['all-null compliance flags', { complianceFlags: { hipaaEnabled: null, gdprEnabled: null, ccpaEnabled: null } }],
  ])('%s leaves settings unchanged', (_label, input) => {
    expect(mergeSettings(CUSTOM, input)).toEqual(CUSTOM);
  });

  it.each<[string, ProjectSettingsInput, Partial<ProjectSettings>]>([
    ['environment', { environment: 'PRODUCTION' }, { environment: 'PRODUCTION' }],
    [
      'one compliance flag keeps the others',
      { complianceFlags: { gdprEnabled: true } },
      { complianceFlags: { hipaaEnabled: true, gdprEnabled: true, ccpaEnabled: true } },
    ],
    [
      'compliance flag set to false',
      { complianceFlags: { hipaaEnabled: false } },
      { complianceFlags: { hipaaEnabled: false, gdprEnabled: false, ccpaEnabled: true } },
    ],
    ['allowSignUp false', { allowSignUp: false }, { allowSignUp: false }],
    ['defaultRole', { defaultRole: 'viewer' }, { defaultRole: 'viewer' }],
    ['maxPageSize lower bound', { maxPageSize: 1 }, { maxPageSize: 1 }],
    ['maxPageSize upper bound', { maxPageSize: 100_000 }, { maxPageSize: 100_000 }],
    ['rateLimits replaced', { rateLimits: { requestsPerSecond: 0.5, burstSize: 1 } }, { rateLimits: { requestsPerSecond: 0.5, burstSize: 1 } }],
    ['rateLimits null removes the limit', { rateLimits: null }, { rateLimits: null }],
  ])('partial merge: %s', (_label, input, changes) => {
    expect(mergeSettings(CUSTOM, input)).toEqual({ ...CUSTOM, ...changes });
  });

  it('rateLimits omitted keeps the current limit', () => {
    expect(mergeSettings(CUSTOM, { maxPageSize: 10 }).rateLimits).toEqual(CUSTOM.rateLimits);
  });

  it('does not mutate the current settings', () => {
    const current = structuredClone(CUSTOM);
    mergeSettings(current, { environment: 'PRODUCTION', complianceFlags: { gdprEnabled: true }, rateLimits: null, maxPageSize: 5 });
    expect(current).toEqual(CUSTOM);
  });

  it('can add rate limits to defaults read from storage', () => {
    const merged = mergeSettings(readSettings(null), { rateLimits: { requestsPerSecond: 10, burstSize: 20 } });
    expect(merged).toEqual({ ...DEFAULT_SETTINGS, rateLimits: { requestsPerSecond: 10, burstSize: 20 } });
  });

  const invalid: Array<[string, ProjectSettingsInput, string]> = [
    ['requestsPerSecond zero', { rateLimits: { requestsPerSecond: 0, burstSize: 1 } }, 'settings.rateLimits.requestsPerSecond'],
    ['requestsPerSecond negative', { rateLimits: { requestsPerSecond: -1, burstSize: 1 } }, 'settings.rateLimits.requestsPerSecond'],
    ['requestsPerSecond NaN', { rateLimits: { requestsPerSecond: Number.NaN, burstSize: 1 } }, 'settings.rateLimits.requestsPerSecond'],
    ['requestsPerSecond Infinity', { rateLimits: { requestsPerSecond: Number.POSITIVE_INFINITY, burstSize: 1 } }, 'settings.rateLimits.requestsPerSecond'],
    ['burstSize zero', { rateLimits: { requestsPerSecond: 1, burstSize: 0 } }, 'settings.rateLimits.burstSize'],
    ['burstSize fractional', { rateLimits: { requestsPerSecond: 1, burstSize: 1.5 } }, 'settings.rateLimits.burstSize'],
    ['burstSize negative', { rateLimits: { requestsPerSecond: 1, burstSize: -3 } }, 'settings.rateLimits.burstSize'],
    ['maxPageSize zero', { maxPageSize: 0 }, 'settings.maxPageSize'],
    ['maxPageSize negative', { maxPageSize: -10 }, 'settings.maxPageSize'],
    ['maxPageSize too large', { maxPageSize: 100_001 }, 'settings.maxPageSize'],
    ['maxPageSize fractional', { maxPageSize: 2.5 }, 'settings.maxPageSize'],
    ['maxPageSize NaN', { maxPageSize: Number.NaN }, 'settings.maxPageSize'],
    ['defaultRole admin', { defaultRole: 'admin' }, 'settings.defaultRole'],
    ['defaultRole service', { defaultRole: 'service' }, 'settings.defaultRole'],
    ['defaultRole anonymous', { defaultRole: 'anonymous' }, 'settings.defaultRole'],
  ];

  it.each(invalid)('%s → BAD_USER_INPUT naming %s', (_label, input, field) => {
    const err = thrown(() => mergeSettings(DEFAULT_SETTINGS, input));
    expect(err).toBeInstanceOf(KoyaError);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', details: { field } });
    expect((err as KoyaError).message).toContain(field);
  });
});
