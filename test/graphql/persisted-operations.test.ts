/**
 * Persisted operations and the allow list, on both engines and both paths (POST fast path, GET
 * through yoga): registered documents run by their sha256 alone; an unknown hash is
 * PersistedQueryNotFound; with operationAllowList a project user may run nothing else (not even
 * the same operation with other whitespace), while the admin may.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type GqlResponse, type TestServer } from '../support/server.js';

const NOTES = 'query Notes { notes(orderBy: [{ body: ASC }]) { body } }';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe.each(ENGINES)('persisted operations on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  let user: string;
  const post = async (body: Record<string, unknown>, token?: string): Promise<GqlResponse> => {
    const res = await fetch(`${s.url}/projects/ops/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text };
  };
  const get = async (params: Record<string, unknown>, token?: string) => {
    const url = new URL(`${s.url}/projects/ops/graphql`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    const res = await fetch(url, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    return (await res.json()) as GqlResponse['body'];
  };
  /** the same request on both paths gives the same body */
  const both = async (params: Record<string, unknown>, token?: string) => {
    const viaPost = await post(params, token);
    expect(await get(params, token)).toEqual(viaPost.body);
    expect(leaksInternals(viaPost.text)).toBe(false);
    return viaPost.body;
  };
  const adminOk = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await s.admin(query, variables, admin);
    expect(r.body.errors, query).toBeUndefined();
    return r.body.data!;
  };
  const register = (name: string, query: string) =>
    s.admin('mutation($n: String!, $q: String!) { registerOperation(input: { projectSlug: "ops", name: $n, query: $q }) { name sha256 } }', { n: name, q: query }, admin);

  beforeAll(async () => {
    s = await startTestServer(engine);
    admin = await s.signInAdmin();
    await adminOk('mutation { createRole(input: { name: "reader", permissions: [{ action: SELECT, resource: "ops:notes" }] }) { name } }');
    await adminOk('mutation { createProject(input: { name: "Ops", slug: "ops", settings: { allowSignUp: true, defaultRole: "reader" } }) { slug } }');
    await adminOk('mutation { createTable(input: { projectSlug: "ops", name: "notes", columns: [{ name: "body", type: "text" }] }) { name } }');
    for (const body of ['a', 'b']) await s.app.db.query(sql`INSERT INTO ops.notes (body) VALUES (${body})`);
    const r = await post({ query: 'mutation { signUp(email: "u@example.com", password: "password-123") { token } }' });
    user = r.body.data!.signUp.token;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('registers an operation under the sha256 of its exact text', async () => {
    const r = await register('Notes', NOTES);
    expect(r.body.data?.registerOperation).toEqual({ name: 'Notes', sha256: sha(NOTES) });
    expect((await adminOk('{ operations(projectSlug: "ops") { name query } }')).operations).toEqual([{ name: 'Notes', query: NOTES }]);
  });

  it.each([
    ['a bad name', 'not a name', '{ notes { body } }', 'BAD_USER_INPUT', 'name'],
    ['a text that is no GraphQL', 'Broken', '{ notes { body }', 'BAD_USER_INPUT', 'query'],
    ['a taken name', 'Notes', '{ notes { id } }', 'CONFLICT', undefined],
    ['a registered text', 'Again', NOTES, 'CONFLICT', undefined],
  ])('refuses %s, registering nothing', async (_what, name, query, code, field) => {
    const r = await register(name, query);
    expect(r.body.errors?.[0]?.extensions?.code).toBe(code);
    if (field) expect(r.body.errors?.[0]?.extensions?.field).toBe(field);
    expect((await adminOk('{ operations(projectSlug: "ops") { name } }')).operations).toEqual([{ name: 'Notes' }]);
  });

  it('runs a registered operation from its hash alone, on both paths', async () => {
    const body = await both({ extensions: persisted(sha(NOTES)) }, user);
    expect(body).toEqual({ data: { notes: [{ body: 'a' }, { body: 'b' }] } });
    // the text with its hash is fine too; a text that does not match the hash is refused
    expect(await both({ query: NOTES, extensions: persisted(sha(NOTES)) }, user)).toEqual(body);
    const mismatch = await both({ query: '{ notes { id } }', extensions: persisted(sha(NOTES)) }, user);
    expect(mismatch.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers an unknown hash with PersistedQueryNotFound, and runs the text sent with it while the project allows any operation', async () => {
    const unknown = await both({ extensions: persisted(sha('{ notes { id } }')) }, user);
    expect(unknown.errors?.[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'BAD_USER_INPUT' } });
    const q = '{ notes(limit: 1) { body } }';
    expect(await both({ query: q, extensions: persisted(sha(q)) }, user)).toEqual({ data: { notes: [{ body: 'a' }] } });
  });

  it('with the allow list on, lets a project user run only registered operations; the admin runs anything', async () => {
    await adminOk('mutation { updateProject(input: { slug: "ops", settings: { operationAllowList: true } }) { settings { operationAllowList } } }');
    expect((await both({ query: NOTES }, user)).data).toEqual({ notes: [{ body: 'a' }, { body: 'b' }] });
    expect((await both({ extensions: persisted(sha(NOTES)) }, user)).data).toEqual({ notes: [{ body: 'a' }, { body: 'b' }] });
    for (const params of [{ query: '{ notes { body } }' }, { query: NOTES.replace('{ body }', '{  body }') }, { query: '{ notes(limit: 1) { body } }', extensions: persisted(sha('{ notes(limit: 1) { body } }')) }]) {
      const r = await both(params, user);
      expect(r.data ?? null, JSON.stringify(params)).toBeNull();
      expect(r.errors?.[0]?.extensions?.code).toMatch(/^(FORBIDDEN|BAD_USER_INPUT)$/);
    }
    expect((await both({ query: '{ notes { body } }' }, user)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await both({ query: '{ notesAggregate { count } }' }, admin)).data).toEqual({ notesAggregate: { count: 2 } });
  });

  it('forgets a deleted operation at once', async () => {
    await adminOk('mutation { deleteOperation(input: { projectSlug: "ops", name: "Notes" }) { name } }');
    const r = await both({ extensions: persisted(sha(NOTES)) }, user);
    expect(r.errors?.[0]?.message).toBe('PersistedQueryNotFound');
    expect((await both({ query: NOTES }, user)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await adminOk('mutation { updateProject(input: { slug: "ops", settings: { operationAllowList: false } }) { slug } }');
    expect((await both({ query: NOTES }, user)).data).toEqual({ notes: [{ body: 'a' }, { body: 'b' }] });
  });
});
