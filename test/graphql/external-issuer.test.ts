/**
 * A project trusting an external identity provider: RS256/ES256 tokens verified with its JWKS
 * (served here by a real HTTP server), issuer and audience checked, claims mapped to role and
 * user id, key rotation picked up, and every bad token UNAUTHENTICATED.
 */
import http from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ISSUER = 'https://idp.example.test';

describe.each(ENGINES)('external issuer on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  let idp: http.Server;
  const keys: JWK[] = [];
  let rs: Awaited<ReturnType<typeof generateKeyPair>>;
  let es: Awaited<ReturnType<typeof generateKeyPair>>;

  const sign = (claims: Record<string, unknown>, key = rs.privateKey, kid = 'rs1', alg = 'RS256', opts: { aud?: string; iss?: string; exp?: number } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg, kid })
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? 'koya-app')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(key);
  const api = (query: string, token: string) => s.gql('/projects/ext/graphql', query, {}, token);

  beforeAll(async () => {
    rs = await generateKeyPair('RS256');
    es = await generateKeyPair('ES256');
    keys.push({ ...(await exportJWK(rs.publicKey)), kid: 'rs1', alg: 'RS256', use: 'sig' });
    idp = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', () => r()));
    const port = (idp.address() as { port: number }).port;
    s = await startTestServer(engine);
    admin = await s.signInAdmin();
    for (const q of [
      'mutation { createRole(input: { name: "editor", permissions: [{ action: SELECT, resource: "ext:notes" }] }) { name } }',
      `mutation { createProject(input: { name: "Ext", slug: "ext", settings: { externalIssuer: { issuer: "${ISSUER}", jwksUrl: "http://127.0.0.1:${port}/jwks", audience: "koya-app", roleClaim: "app_role" } } }) { settings { externalIssuer { issuer roleClaim userIdClaim } } } }`,
      'mutation { createTable(input: { projectSlug: "ext", name: "notes", columns: [{ name: "owner", type: "text", isNullable: false }, { name: "body", type: "text" }] }) { name } }',
      'mutation { enableRowLevelSecurity(input: { projectSlug: "ext", table: "notes", enabled: true }) { rlsEnabled } }',
      'mutation { createPolicy(input: { projectSlug: "ext", table: "notes", name: "own", check: "owner = auth.uid()" }) { name } }',
      'mutation { insertNotes(inputs: [{ owner: "user-1", body: "one" }, { owner: "user-2", body: "two" }]) { affectedRows } }',
    ]) {
      const r = await (q.includes('insertNotes') ? s.gql('/projects/ext/graphql', q, {}, admin) : s.admin(q, {}, admin));
      expect(r.body.errors, q).toBeUndefined();
    }
  });
  afterAll(async () => {
    await s?.close();
    await new Promise((r) => idp?.close(r));
  });

  it('accepts a token of the provider, maps its role claim and user id, and applies policies', async () => {
    const r = await api('{ notes { body } }', await sign({ sub: 'user-1', app_role: 'editor' }));
    expect(r.body).toEqual({ data: { notes: [{ body: 'one' }] } });
  });

  it('never maps a claim to a privileged role', async () => {
    const r = await api('{ notes { body } }', await sign({ sub: 'user-2', app_role: 'admin' }));
    // the default role (authenticated) has no grant on notes: the table is not in its schema
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['a wrong audience', () => sign({ sub: 'user-1', app_role: 'editor' }, undefined, 'rs1', 'RS256', { aud: 'someone-else' })],
    ['an expired token', () => sign({ sub: 'user-1', app_role: 'editor' }, undefined, 'rs1', 'RS256', { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['an unknown signing key', async () => sign({ sub: 'user-1' }, (await generateKeyPair('RS256')).privateKey, 'rs1')],
    ['alg none', async () => `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'rs1' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'user-1', iss: ISSUER, aud: 'koya-app', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url')}.`],
  ])('refuses %s with UNAUTHENTICATED', async (_what, make) => {
    const r = await api('{ notes { body } }', await make());
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('picks up a rotated key (ES256) from the JWKS', async () => {
    keys.push({ ...(await exportJWK(es.publicKey)), kid: 'es1', alg: 'ES256', use: 'sig' });
    const token = await sign({ sub: 'user-2', app_role: 'editor' }, es.privateKey, 'es1', 'ES256');
    const deadline = Date.now() + 15_000;
    let body: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      body = (await api('{ notes { body } }', token)).body as Record<string, unknown>;
      if (!('errors' in body)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(body).toEqual({ data: { notes: [{ body: 'two' }] } });
  });
});
