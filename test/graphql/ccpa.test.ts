/**
 * CCPA mode: a project user's opt-out flag, set by the user, is in their claims at once
 * (policies can read it), and the export/erase operations are offered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('ccpa on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  let user: { token: string; id: string };
  const api = (query: string, token?: string) => s.gql('/projects/shopca/graphql', query, {}, token);

  beforeAll(async () => {
    s = await startTestServer(engine);
    admin = await s.signInAdmin();
    for (const q of [
      'mutation { createRole(input: { name: "shopper", permissions: [{ action: SELECT, resource: "shopca:offers" }] }) { name } }',
      'mutation { createProject(input: { name: "Shop CA", slug: "shopca", settings: { allowSignUp: true, defaultRole: "shopper", complianceFlags: { ccpaEnabled: true } } }) { slug } }',
      'mutation { createTable(input: { projectSlug: "shopca", name: "offers", columns: [{ name: "title", type: "text" }] }) { name } }',
      'mutation { enableRowLevelSecurity(input: { projectSlug: "shopca", table: "offers", enabled: true }) { rlsEnabled } }',
      `mutation { createPolicy(input: { projectSlug: "shopca", table: "offers", name: "not_opted_out", check: "auth.claim('ccpa_opt_out') = 'false'" }) { name } }`,
    ]) {
      expect((await s.admin(q, {}, admin)).body.errors, q).toBeUndefined();
    }
    expect((await api('mutation { insertOffer(input: { title: "personalized" }) { title } }', admin)).body.errors).toBeUndefined();
    const r = await api('mutation { signUp(email: "ca@example.com", password: "password-123") { token user { id } } }');
    user = { token: r.body.data!.signUp.token, id: r.body.data!.signUp.user.id };
  });
  afterAll(async () => {
    await s?.close();
  });

  it('carries the opt-out in the claims from the next request on', async () => {
    expect((await api('{ offers { title } }', user.token)).body.data).toEqual({ offers: [{ title: 'personalized' }] });
    const set = await api('mutation { setDataSaleOptOut(optOut: true) }', user.token);
    expect(set.body.data).toEqual({ setDataSaleOptOut: true });
    expect((await api('{ offers { title } }', user.token)).body.data).toEqual({ offers: [] });
    const audit = await s.admin('{ auditLogs(filter: { projectSlug: "shopca", action: "compliance.opt_out" }) { targetId metadata } }', {}, admin);
    expect(audit.body.data?.auditLogs).toEqual([{ targetId: user.id, metadata: { optOut: true } }]);
  });

  it('offers export and erase, and the flag only to signed-in users', async () => {
    expect((await api(`{ exportUserData(userId: "${user.id}") }`, user.token)).body.errors).toBeUndefined();
    const anon = await api('mutation { setDataSaleOptOut(optOut: true) }');
    expect(anon.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
