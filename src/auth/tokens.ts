/**
 * KoyaLite's own JWTs (HS256, jose). Control-plane tokens carry audience "koyalite:admin";
 * project tokens carry the project slug as audience and are valid on that project only.
 *
 *   { iss: "koyalite", aud: "koyalite:admin" | "<slug>", sub: "<user id>", role: "<role name>", iat, exp }
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { KoyaError } from '../lib/errors.js';

export const ISSUER = 'koyalite';
export const ADMIN_AUDIENCE = 'koyalite:admin';

export interface TokenClaims {
  sub: string;
  role: string;
  aud: string;
  exp: number;
  [claim: string]: unknown;
}

export class TokenService {
  private readonly key: Uint8Array;
  /**
   * Verified tokens → claims, until they expire. Verification is a pure function of the token,
   * key, audience and clock, so a hit skips the HMAC and JSON work on every request of a session.
   */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(secret: string, private readonly ttlSeconds: number) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(subject: string, role: string, audience: string, extra: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT({ ...extra, role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + this.ttlSeconds)
      .sign(this.key);
  }

  /** Verifies signature, issuer, audience and time claims; any failure is UNAUTHENTICATED. */
  async verify(token: string, audience: string): Promise<TokenClaims> {
    const cacheKey = `${audience}\u0000${token}`;
    const hit = this.verified.get(cacheKey);
    if (hit) {
      const nbf = typeof hit.nbf === 'number' ? hit.nbf : 0;
      const now = Date.now() / 1000;
      if (hit.exp > now && nbf <= now) return hit;
      this.verified.delete(cacheKey);
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.role !== 'string' || typeof payload.exp !== 'number') throw new KoyaError('UNAUTHENTICATED', 'invalid token');
      if (this.verified.size >= 10_000) this.verified.clear();
      this.verified.set(cacheKey, payload as TokenClaims);
      return payload as TokenClaims;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new KoyaError('UNAUTHENTICATED', 'token expired');
      throw new KoyaError('UNAUTHENTICATED', 'invalid token');
    }
  }
}

/** The bearer token of an Authorization header; undefined when there is none, an error when it is malformed. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined || header === '') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) throw new KoyaError('UNAUTHENTICATED', 'malformed Authorization header (expected "Bearer <token>")');
  return match[1];
}
