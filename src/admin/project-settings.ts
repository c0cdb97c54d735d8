/**
 * Project settings: the stored JSON shape, its defaults, and validation of partial updates.
 *
 *   { environment: "DEVELOPMENT" | "STAGING" | "PRODUCTION",
 *     complianceFlags: { hipaaEnabled, gdprEnabled, ccpaEnabled },
 *     rateLimits: { requestsPerSecond, burstSize } | null,   // null = unlimited
 *     allowSignUp, defaultRole, maxPageSize }
 */
import { badInput } from '../lib/errors.js';

export type Environment = 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION';

export interface ProjectSettings {
  environment: Environment;
  complianceFlags: { hipaaEnabled: boolean; gdprEnabled: boolean; ccpaEnabled: boolean };
  rateLimits: { requestsPerSecond: number; burstSize: number } | null;
  allowSignUp: boolean;
  defaultRole: string;
  maxPageSize: number;
}

export interface ProjectSettingsInput {
  environment?: Environment | null;
  complianceFlags?: { hipaaEnabled?: boolean | null; gdprEnabled?: boolean | null; ccpaEnabled?: boolean | null } | null;
  rateLimits?: { requestsPerSecond: number; burstSize: number } | null;
  allowSignUp?: boolean | null;
  defaultRole?: string | null;
  maxPageSize?: number | null;
}

export const DEFAULT_SETTINGS: ProjectSettings = {
  environment: 'DEVELOPMENT',
  complianceFlags: { hipaaEnabled: false, gdprEnabled: false, ccpaEnabled: false },
  rateLimits: null,
  allowSignUp: false,
  defaultRole: 'authenticated',
  maxPageSize: 1000,
};

/** Reads stored JSON, filling defaults for anything missing (older rows stay valid). */
export function readSettings(stored: unknown): ProjectSettings {
  const s = (stored ?? {}) as Partial<ProjectSettings>;
  return {
    environment: s.environment ?? DEFAULT_SETTINGS.environment,
    complianceFlags: { ...DEFAULT_SETTINGS.complianceFlags, ...(s.complianceFlags ?? {}) },
    rateLimits: s.rateLimits ?? null,
    allowSignUp: s.allowSignUp ?? DEFAULT_SETTINGS.allowSignUp,
    defaultRole: s.defaultRole ?? DEFAULT_SETTINGS.defaultRole,
    maxPageSize: s.maxPageSize ?? DEFAULT_SETTINGS.maxPageSize,
  };
}

/** Applies a partial input over current settings; `rateLimits: null` removes the limit. */
export function mergeSettings(current: ProjectSettings, input: ProjectSettingsInput | null | undefined): ProjectSettings {
  if (!input) return current;
  const flags = input.complianceFlags ?? {};
  const next: ProjectSettings = {
    environment: input.environment ?? current.environment,
    complianceFlags: {
      hipaaEnabled: flags.hipaaEnabled ?? current.complianceFlags.hipaaEnabled,
      gdprEnabled: flags.gdprEnabled ?? current.complianceFlags.gdprEnabled,
      ccpaEnabled: flags.ccpaEnabled ?? current.complianceFlags.ccpaEnabled,
    },
    rateLimits: input.rateLimits === undefined ? current.rateLimits : input.rateLimits,
    allowSignUp: input.allowSignUp ?? current.allowSignUp,
    defaultRole: input.defaultRole ?? current.defaultRole,
    maxPageSize: input.maxPageSize ?? current.maxPageSize,
  };
  if (next.rateLimits) {
    const { requestsPerSecond, burstSize } = next.rateLimits;
    if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) {
      throw badInput('settings.rateLimits.requestsPerSecond must be a positive number', { field: 'settings.rateLimits.requestsPerSecond' });
    }
    if (!Number.isInteger(burstSize) || burstSize < 1) {
      throw badInput('settings.rateLimits.burstSize must be a positive integer', { field: 'settings.rateLimits.burstSize' });
    }
  }
  if (!Number.isInteger(next.maxPageSize) || next.maxPageSize < 1 || next.maxPageSize > 100_000) {
    throw badInput('settings.maxPageSize must be an integer from 1 to 100000', { field: 'settings.maxPageSize' });
  }
  if (next.defaultRole === 'admin' || next.defaultRole === 'service' || next.defaultRole === 'anonymous') {
    throw badInput(`settings.defaultRole cannot be ${next.defaultRole}`, { field: 'settings.defaultRole' });
  }
  return next;
}
