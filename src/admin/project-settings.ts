/**
 * Project settings: the stored JSON shape, its defaults, and validation of partial updates.
 *
 *   { environment: "DEVELOPMENT" | "STAGING" | "PRODUCTION",
 *     complianceFlags: { hipaaEnabled, gdprEnabled, ccpaEnabled },
 *     rateLimits: { requestsPerSecond, burstSize } | null,   // null = unlimited
 *     allowSignUp, defaultRole, maxPageSize,
 *     externalIssuer: { issuer, jwksUrl, audience, roleClaim, userIdClaim } | null,   // trust another identity provider
 *     operationAllowList }   // only registered operations run for callers other than admin and service
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
  externalIssuer: ExternalIssuer | null;
  /** per-project query limits (depth, aliases, directives, cost); null = KoyaLite's defaults */
  limits: { maxDepth: number; maxAliases: number; maxDirectives: number; maxCost: number } | null;
  /** only registered (persisted) operations run for callers other than admin and service */
  operationAllowList: boolean;
}

/** Tokens of another identity provider accepted on the project endpoint (RS256/ES256 via JWKS). */
export interface ExternalIssuer {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** claim holding the KoyaLite role name (absent → the project's default role) */
  roleClaim: string;
  /** claim holding the user id (auth.uid()) */
  userIdClaim: string;
}

export interface ProjectSettingsInput {
  environment?: Environment | null;
  complianceFlags?: { hipaaEnabled?: boolean | null; gdprEnabled?: boolean | null; ccpaEnabled?: boolean | null } | null;
  rateLimits?: { requestsPerSecond: number; burstSize: number } | null;
  allowSignUp?: boolean | null;
  defaultRole?: string | null;
  maxPageSize?: number | null;
  externalIssuer?: { issuer: string; jwksUrl: string; audience: string; roleClaim?: string | null; userIdClaim?: string | null } | null;
  limits?: { maxDepth: number; maxAliases: number; maxDirectives: number; maxCost: number } | null;
  operationAllowList?: boolean | null;
}

export const DEFAULT_SETTINGS: ProjectSettings = {
  environment: 'DEVELOPMENT',
  complianceFlags: { hipaaEnabled: false, gdprEnabled: false, ccpaEnabled: false },
  rateLimits: null,
  allowSignUp: false,
  defaultRole: 'authenticated',
  maxPageSize: 1000,
  externalIssuer: null,
  limits: null,
  operationAllowList: false,
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
    externalIssuer: s.externalIssuer ?? null,
    limits: s.limits ?? null,
    operationAllowList: s.operationAllowList ?? DEFAULT_SETTINGS.operationAllowList,
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
    externalIssuer:
      input.externalIssuer === undefined
        ? current.externalIssuer
        : input.externalIssuer === null
          ? null
          : {
              issuer: input.externalIssuer.issuer,
              jwksUrl: input.externalIssuer.jwksUrl,
              audience: input.externalIssuer.audience,
              roleClaim: input.externalIssuer.roleClaim ?? 'role',
              userIdClaim: input.externalIssuer.userIdClaim ?? 'sub',
            },
    limits: input.limits === undefined ? current.limits : input.limits,
    operationAllowList: input.operationAllowList ?? current.operationAllowList,
  };
  if (next.limits) {
    for (const [k, v] of Object.entries(next.limits)) {
      if (!Number.isInteger(v) || v < 1 || v > 1_000_000) throw badInput(`settings.limits.${k} must be a positive integer`, { field: `settings.limits.${k}` });
    }
  }
  if (next.externalIssuer) {
    let ok = false;
    try {
      const u = new URL(next.externalIssuer.jwksUrl);
      ok = u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      ok = false;
    }
    if (!ok) throw badInput('settings.externalIssuer.jwksUrl must be an http(s) URL', { field: 'settings.externalIssuer.jwksUrl' });
    if (!next.externalIssuer.issuer || !next.externalIssuer.audience) {
      throw badInput('settings.externalIssuer needs issuer and audience', { field: 'settings.externalIssuer' });
    }
  }
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
