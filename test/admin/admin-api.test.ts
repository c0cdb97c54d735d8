/**
 * The control-plane contract over real HTTP, on both engines: sign-in, projects (with their
 * Postgres schemas), roles, users, and every refusal path with its stable code — each refusal
 * changing nothing and leaking nothing.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, leaksInternals, startTestServer, TEST_JWT_SECRET, type GqlResponse, type TestServer } from '../support/server.js';

const SIGN_IN = 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token user { id email role { name } } } }';
const CREATE_PROJECT = `mutation($input: CreateProjectInput!) {
  createProject(input: $input) { id name slug metadataVersion settings { environment allowSignUp defaultRole maxPageSize
    complianceFlags { hipaaEnabled gdprEnabled ccpaEnabled } rateLimits { requestsPerSecond burstSize } } } }`;

function code(r: GqlResponse): unknown {
  return r.body.errors?.[0]?.extensions?.code;
}

describe.each(ENGINES)('admin API on %s', (engine) => {
  let s: TestServer;
  let token: string;

  const schemaExists = async (name: string) =>
    (await s.app.db.query(sql`SELECT 1 FROM information_schema.schemata WHERE schema_name = ${name}`)).length === 1;
  const projectCount = async () => Number((await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM koyalite.projects`))[0]?.n);

  beforeAll(async () => {
    s = await startTestServer(engine, { KOYALITE_JWT_SECRET: TEST_JWT_SECRET });
    token = await s.signInAdmin();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('signs in the bootstrap admin and answers me', async () => {
    const r = await s.admin(SIGN_IN, { e: ADMIN_EMAIL.toUpperCase(), p: ADMIN_PASSWORD });
    expect(r.body.data?.signIn.user).toMatchObject({ email: ADMIN_EMAIL, role: { name: 'admin' } });
    const me = await s.admin('{ me { email role { name permissions { action resource } } } }', {}, r.body.data?.signIn.token);
    expect(me.body.data?.me).toEqual({ email: ADMIN_EMAIL, role: { name: 'admin', permissions: [{ action: 'MANAGE', resource: '*' }] } });
  });

  it('creates a project with default settings and its Postgres schema, and audits it', async () => {
    const r = await s.admin(CREATE_PROJECT, { input: { name: 'Shop', slug: 'shop' } }, token);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.createProject).toMatchObject({
      name: 'Shop',
      slug: 'shop',
      settings: {
        environment: 'DEVELOPMENT',
        allowSignUp: false,
        defaultRole: 'authenticated',
        maxPageSize: 1000,
        complianceFlags: { hipaaEnabled: false, gdprEnabled: false, ccpaEnabled: false },
        rateLimits: null,
      },
    });
    expect(await schemaExists('shop')).toBe(true);
    const audit = await s.admin('{ auditLogs(filter: { projectSlug: "shop", action: "project.create" }) { action targetType actorRole } }', {}, token);
    expect(audit.body.data?.auditLogs).toEqual([{ action: 'project.create', targetType: 'Project', actorRole: 'admin' }]);
  });

  it('resolves each project owner (batched per request)', async () => {
    await s.admin(CREATE_PROJECT, { input: { name: 'Two', slug: 'two' } }, token);
    const r = await s.admin<{ projects: Array<{ slug: string; owner: { email: string } }> }>('{ projects { slug owner { email } } }', {}, token);
    expect(r.body.data?.projects).toEqual([
      { slug: 'shop', owner: { email: ADMIN_EMAIL } },
      { slug: 'two', owner: { email: ADMIN_EMAIL } },
    ]);
    await s.admin('mutation { deleteProject(input: { slug: "two" }) { slug } }', {}, token);
  });

  it('refuses a duplicate slug with CONFLICT and changes nothing', async () => {
    const before = await projectCount();
    const r = await s.admin(CREATE_PROJECT, { input: { name: 'Other', slug: 'shop' } }, token);
    expect(code(r)).toBe('CONFLICT');
    expect(await projectCount()).toBe(before);
    expect(leaksInternals(r.text)).toBe(false);
  });

  it.each(['Bad Slug', 'x', '1shop', 'public', 'koyalite', 'pg_catalog', 'shop;drop', 'a'.repeat(41)])(
    'refuses the invalid slug %j with BAD_USER_INPUT and creates nothing',
    async (slug) => {
      const before = await projectCount();
      const r = await s.admin(CREATE_PROJECT, { input: { name: 'X', slug } }, token);
      expect(code(r)).toBe('BAD_USER_INPUT');
      expect(r.body.errors?.[0]?.message).toMatch(/slug/);
      expect(await projectCount()).toBe(before);
      expect(leaksInternals(r.text)).toBe(false);
    },
  );

  it('answers a wrong password and an unknown user identically', async () => {
    const wrong = await s.admin(SIGN_IN, { e: ADMIN_EMAIL, p: 'not-the-password' });
    const unknown = await s.admin(SIGN_IN, { e: 'nobody@example.com', p: 'not-the-password' });
    expect(code(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.status).toBe(unknown.status);
  });

  describe('tokens', () => {
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const claims = async () => {
      const me = await s.admin<{ me: { id: string } }>('{ me { id } }', {}, token);
      return { sub: me.body.data!.me.id, role: 'admin' };
    };
    const attempt = async (bearer: string | undefined) => {
      const before = await projectCount();
      const r = await s.admin(CREATE_PROJECT, { input: { name: 'T', slug: `tok${Math.floor(Math.random() * 1e6)}` } }, bearer);
      expect(await projectCount()).toBe(before);
      expect(leaksInternals(r.text)).toBe(false);
      return r;
    };

    it('refuses a missing token', async () => {
      expect(code(await attempt(undefined))).toBe('UNAUTHENTICATED');
    });

    it('refuses an expired token', async () => {
      const expired = await new SignJWT(await claims())
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('koyalite')
        .setAudience('koyalite:admin')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(key);
      expect(code(await attempt(expired))).toBe('UNAUTHENTICATED');
    });

    it('refuses a token signed with another key', async () => {
      const forged = await new SignJWT(await claims())
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('koyalite')
        .setAudience('koyalite:admin')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));
      expect(code(await attempt(forged))).toBe('UNAUTHENTICATED');
    });

    it('refuses an unsigned (alg none) token', async () => {
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...(await claims()), iss: 'koyalite', aud: 'koyalite:admin', exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
      expect(code(await attempt(none))).toBe('UNAUTHENTICATED');
    });

    it('refuses a malformed Authorization header instead of treating it as anonymous', async () => {
      const res = await fetch(`${s.url}/admin/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Token abc def' },
        body: JSON.stringify({ query: 'mutation { signIn(email: "a@b.co", password: "x") { token } }' }),
      });
      const body = await res.json();
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('a non-admin user', () => {
    let devToken: string;
    let devId: string;

    beforeAll(async () => {
      const role = await s.admin(
        'mutation { createRole(input: { name: "developer", permissions: [{ action: SELECT, resource: "shop:*" }, { action: MANAGE, resource: "shop:posts" }] }) { name permissions { action resource } } }',
        {},
        token,
      );
      expect(role.body.errors).toBeUndefined();
      const user = await s.admin<{ createUser: { id: string } }>(
        'mutation { createUser(input: { email: "Dev@Example.com", password: "dev-password-1", roleName: "developer" }) { id email role { name } } }',
        {},
        token,
      );
      expect(user.body.data?.createUser).toMatchObject({ email: 'dev@example.com', role: { name: 'developer' } });
      devId = user.body.data!.createUser.id;
      const signIn = await s.admin(SIGN_IN, { e: 'dev@example.com', p: 'dev-password-1' });
      devToken = signIn.body.data?.signIn.token;
    });

    it('cannot create a project (FORBIDDEN) and nothing changes', async () => {
      const before = await projectCount();
      const r = await s.admin(CREATE_PROJECT, { input: { name: 'Mine', slug: 'mine' } }, devToken);
      expect(code(r)).toBe('FORBIDDEN');
      expect(await projectCount()).toBe(before);
      expect(await schemaExists('mine')).toBe(false);
    });

    it('cannot list users or create roles', async () => {
      expect(code(await s.admin('{ users { email } }', {}, devToken))).toBe('FORBIDDEN');
      expect(code(await s.admin('mutation { createRole(input: { name: "x" }) { name } }', {}, devToken))).toBe('FORBIDDEN');
    });

    it('sees only the projects it has permissions on', async () => {
      await s.admin(CREATE_PROJECT, { input: { name: 'Hidden', slug: 'hidden' } }, token);
      const r = await s.admin<{ projects: Array<{ slug: string }> }>('{ projects { slug } }', {}, devToken);
      expect(r.body.data?.projects.map((p) => p.slug)).toEqual(['shop']);
      const hidden = await s.admin('{ project(slug: "hidden") { slug } }', {}, devToken);
      expect(hidden.body.data?.project).toBeNull();
    });

    it('loses access at once when its role changes or the user is deleted', async () => {
      const upd = await s.admin('mutation { updateRole(input: { name: "developer", permissions: [] }) { permissions { action } } }', {}, token);
      expect(upd.body.data?.updateRole.permissions).toEqual([]);
      const r = await s.admin<{ projects: unknown[] }>('{ projects { slug } }', {}, devToken);
      expect(r.body.data?.projects).toEqual([]);
      const del = await s.admin('mutation($id: ID!) { deleteUser(input: { id: $id }) { email } }', { id: devId }, token);
      expect(del.body.data?.deleteUser).toEqual({ email: 'dev@example.com' });
      expect(code(await s.admin('{ me { email } }', {}, devToken))).toBe('UNAUTHENTICATED');
    });
  });

  it('updates settings by merging and bumps the metadata version', async () => {
    const r = await s.admin(
      'mutation { updateProject(input: { slug: "shop", settings: { environment: PRODUCTION, rateLimits: { requestsPerSecond: 5, burstSize: 10 }, complianceFlags: { gdprEnabled: true } } }) { metadataVersion settings { environment rateLimits { requestsPerSecond burstSize } complianceFlags { gdprEnabled hipaaEnabled } maxPageSize } } }',
      {},
      token,
    );
    expect(r.body.data?.updateProject).toEqual({
      metadataVersion: 2,
      settings: { environment: 'PRODUCTION', rateLimits: { requestsPerSecond: 5, burstSize: 10 }, complianceFlags: { gdprEnabled: true, hipaaEnabled: false }, maxPageSize: 1000 },
    });
    const bad = await s.admin('mutation { updateProject(input: { slug: "shop", settings: { maxPageSize: -1 } }) { slug } }', {}, token);
    expect(code(bad)).toBe('BAD_USER_INPUT');
  });

  it('refuses to change the built-in admin role', async () => {
    const r = await s.admin('mutation { updateRole(input: { name: "admin", permissions: [] }) { name } }', {}, token);
    expect(code(r)).toBe('BAD_USER_INPUT');
    const me = await s.admin('{ me { role { permissions { action resource } } } }', {}, token);
    expect(me.body.data?.me.role.permissions).toEqual([{ action: 'MANAGE', resource: '*' }]);
  });

  it('deletes a project together with its schema and returns it', async () => {
    const r = await s.admin('mutation { deleteProject(input: { slug: "hidden" }) { slug } }', {}, token);
    expect(r.body.data?.deleteProject).toEqual({ slug: 'hidden' });
    expect(await schemaExists('hidden')).toBe(false);
    const again = await s.admin('mutation { deleteProject(input: { slug: "hidden" }) { slug } }', {}, token);
    expect(code(again)).toBe('NOT_FOUND');
  });

  it('gives BAD_USER_INPUT for invalid GraphQL and wrong variable types', async () => {
    expect(code(await s.admin('{ me { nope } }', {}, token))).toBe('BAD_USER_INPUT');
    expect(code(await s.admin('{ me { email ', {}, token))).toBe('BAD_USER_INPUT');
    expect(code(await s.admin('query($n: String!) { role(name: $n) { name } }', { n: 5 }, token))).toBe('BAD_USER_INPUT');
    expect(code(await s.admin('mutation { deleteUser(input: { id: "not-a-uuid" }) { email } }', {}, token))).toBe('BAD_USER_INPUT');
  });

  it('refuses a body over 1 MB with HTTP 413', async () => {
    const res = await fetch(`${s.url}/admin/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ me { email } } # ${'x'.repeat(1024 * 1024)}` }),
    });
    expect(res.status).toBe(413);
  });
});
