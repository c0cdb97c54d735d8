/**
 * Escape attempts against multi-tenant isolation, from a caller holding a valid project-user
 * token (or none). The fixture is tenant-isolation.test.ts's workflow SaaS (tenants,
 * tenant_members, workflows, workflow_executions with membership policies; ann in Acme, bob in
 * Globex, cy in both), plus:
 *   - labels (per tenant) linked many-to-many to workflows through workflows_labels, whose own
 *     policies let a caller see the links of visible workflows, and write only links between
 *     rows it can see; one legacy link ties an Acme workflow to a Globex label, one a Globex
 *     workflow to an Acme label (so visible rows point at hidden ones);
 *   - notes, private to their author (author_id = auth.uid()) and pointing at any workflow: ann
 *     has notes on Globex workflows, which she may keep but whose workflows she must not see.
 * The paths tried here are the ones that suite does not: every/none over partly hidden sets,
 * min/max and groupBy keys, nested aggregates, backward pages with foreign cursors, ordering by
 * hidden related rows, relations of by-pk rows and of mutation results, relation filters in
 * update/delete, many-to-many nested inserts and junction writes, do-nothing upserts, batches of
 * several mutation fields, directives and fragments on both paths, introspection per role,
 * anonymous callers and bad tokens. Reads are compared on the fast path (POST), yoga forced by a
 * POST with `extensions`, and GET.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ident, sql } from '../../src/lib/sql.js';
import { uid } from '../fixtures/blog.js';
import { ACME, defineProject, enableRls, GLOBEX, membership, seedTenants, TENANT_POLICIES, TENANT_SETUP, TENANT_TABLES, WF, type PolicySpec } from '../fixtures/tenants.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, TEST_JWT_SECRET, type GqlResponse, type TestServer } from '../support/server.js';

const LB = { acmeUrgent: uid(401), globexSecret: uid(402) };
const NOTE = { annOnPayroll: uid(501), annOnAudit: uid(502), cyOnBilling: uid(503) };

const crud = (table: string, actions = ['SELECT', 'INSERT', 'UPDATE', 'DELETE']) => actions.map((a) => `{ action: ${a}, resource: "flows:${table}" }`).join(', ');
const MEMBER_GRANTS = [
  crud('tenants', ['SELECT']),
  crud('tenant_members', ['SELECT']),
  crud('workflows'),
  crud('workflow_executions'),
  crud('labels', ['SELECT', 'INSERT']),
  crud('notes'),
];

const SETUP = [
  `mutation { createRole(input: { name: "member", permissions: [${[...MEMBER_GRANTS, crud('workflows_labels', ['SELECT', 'INSERT'])].join(', ')}] }) { name } }`,
  // may read the links but not write them
  `mutation { createRole(input: { name: "reader_of_links", permissions: [${[...MEMBER_GRANTS, crud('workflows_labels', ['SELECT'])].join(', ')}] }) { name } }`,
  ...TENANT_SETUP,
  'mutation { createTable(input: { projectSlug: "flows", name: "labels", columns: [{ name: "name", type: "text", isNullable: false }] }) { name } }',
  `mutation { createTable(input: { projectSlug: "flows", name: "notes", columns: [{ name: "body", type: "text", isNullable: false }, { name: "author_id", type: "uuid", isNullable: false }] }) { name } }`,
  'mutation { createRelationship(input: { projectSlug: "flows", type: ONE_TO_MANY, fromTable: "tenants", toTable: "labels", fromFieldName: "labels", toFieldName: "tenant" }) { type } }',
  'mutation { createRelationship(input: { projectSlug: "flows", type: MANY_TO_MANY, fromTable: "workflows", toTable: "labels", fromFieldName: "labels", toFieldName: "workflows" }) { type } }',
  'mutation { createRelationship(input: { projectSlug: "flows", type: ONE_TO_MANY, fromTable: "workflows", toTable: "notes", fromFieldName: "notes", toFieldName: "workflow" }) { type } }',
  ...enableRls([...TENANT_TABLES, 'labels', 'workflows_labels', 'notes']),
];

const POLICIES: PolicySpec[] = [
  ...TENANT_POLICIES,
  { table: 'labels', name: 'tenant_labels', check: membership('tenant_id') },
  // links of visible workflows are readable; a new link must join two rows the caller can see
  { table: 'workflows_labels', name: 'links_read', check: 'exists(workflows where workflows.id = workflow_id)', command: 'SELECT' },
  { table: 'workflows_labels', name: 'links_write', check: 'exists(workflows where workflows.id = workflow_id) and exists(labels where labels.id = label_id)', command: 'INSERT' },
  { table: 'notes', name: 'own_notes', check: 'author_id = auth.uid()' },
];

type User = 'ann' | 'bob' | 'cy' | 'eve';

describe.each(ENGINES)('tenant escapes on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  const users: Record<User, { token: string; id: string }> = {} as never;
  const endpoint = () => `${s.url}/projects/flows/graphql`;
  const post = (query: string, token?: string, variables?: Record<string, unknown>) => s.gql('/projects/flows/graphql', query, variables, token);
  const auth = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
  /** a POST the fast path declines (an empty `extensions` object): yoga answers it */
  const postViaYoga = async (query: string, token?: string, variables?: Record<string, unknown>) => {
    const res = await fetch(endpoint(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...auth(token) },
      body: JSON.stringify({ query, variables, extensions: {} }),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text } as GqlResponse;
  };
  const get = async (query: string, token?: string, variables?: Record<string, unknown>) => {
    const url = new URL(endpoint());
    url.searchParams.set('query', query);
    if (variables) url.searchParams.set('variables', JSON.stringify(variables));
    const res = await fetch(url, { headers: { accept: 'application/json', ...auth(token) } });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text } as GqlResponse;
  };
  /** a read on the fast path, on yoga through POST and on yoga through GET: all three must agree and succeed */
  const read = async (query: string, token?: string, variables?: Record<string, unknown>) => {
    const viaPost = await post(query, token, variables);
    expect(viaPost.body.errors, query).toBeUndefined();
    expect((await postViaYoga(query, token, variables)).body, query).toEqual(viaPost.body);
    expect((await get(query, token, variables)).body, query).toEqual(viaPost.body);
    return viaPost.body.data!;
  };
  const asAdmin = async (query: string, variables?: Record<string, unknown>) => {
    const r = await post(query, admin, variables);
    expect(r.body.errors, query).toBeUndefined();
    return r.body.data!;
  };
  const names = (rows: Array<{ name: string }>) => rows.map((r) => r.name).sort();
  const code = (r: GqlResponse) => r.body.errors?.[0]?.extensions?.code;
  const forbidden = (r: GqlResponse) => {
    expect(code(r), r.text).toBe('FORBIDDEN');
    expect(leaksInternals(r.text)).toBe(false);
  };
  /** refused, without data, without internals, and without naming anything of the other tenant */
  const refused = (r: GqlResponse, codes: string[]) => {
    expect(codes, r.text).toContain(code(r));
    expect(r.body.data ?? null, r.text).toBeNull();
    expect(leaksInternals(r.text), r.text).toBe(false);
    expect(r.text).not.toMatch(/Globex|globex|payroll|secret/);
  };
  const countRows = async (table: string, where = sql`TRUE`) => {
    const [row] = await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${ident('flows', table)} WHERE ${where}`);
    return Number(row!.n);
  };
  const snapshot = async () => {
    const out: Record<string, unknown> = {};
    for (const t of ['tenants', 'tenant_members', 'workflows', 'workflow_executions', 'labels', 'workflows_labels', 'notes']) {
      out[t] = await s.app.db.query(sql`SELECT * FROM ${ident('flows', t)} ORDER BY id`);
    }
    return JSON.parse(JSON.stringify(out));
  };
  const sign = (claims: Record<string, unknown>, exp: number, key = TEST_JWT_SECRET) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer('koyalite').setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(key));

  beforeAll(async () => {
    s = await startTestServer(engine, { KOYALITE_JWT_SECRET: TEST_JWT_SECRET });
    admin = await s.signInAdmin();
    await defineProject(s, admin, SETUP, POLICIES);
    const signUp = async (name: User) => {
      const r = await post('mutation($e: String!) { signUp(email: $e, password: "password-123") { token user { id role } } }', undefined, { e: `${name}@example.com` });
      expect(r.body.errors).toBeUndefined();
      users[name] = { token: r.body.data!.signUp.token, id: r.body.data!.signUp.user.id };
      return r.body.data!.signUp.user.role as string;
    };
    for (const name of ['ann', 'bob', 'cy'] as const) expect(await signUp(name)).toBe('member');
    // eve signs up while the default role is reader_of_links
    const r = await s.admin('mutation { updateProject(input: { slug: "flows", settings: { defaultRole: "reader_of_links" } }) { slug } }', {}, admin);
    expect(r.body.errors).toBeUndefined();
    expect(await signUp('eve')).toBe('reader_of_links');

    await seedTenants(s, [
      [users.ann.id, ACME, 'OWNER'], [users.bob.id, GLOBEX, 'OWNER'], [users.cy.id, ACME, 'MEMBER'], [users.cy.id, GLOBEX, 'MEMBER'], [users.eve.id, ACME, 'MEMBER'],
    ]);
    const db = s.app.db;
    await db.query(sql`INSERT INTO flows.labels (id, tenant_id, name) VALUES (${LB.acmeUrgent}, ${ACME}, 'urgent'), (${LB.globexSecret}, ${GLOBEX}, 'globex-secret')`);
    // own links, plus two legacy links across tenants (written by the owner, no policy applies)
    for (const [w, l] of [[WF.acmeOnboarding, LB.acmeUrgent], [WF.acmeBilling, LB.globexSecret], [WF.globexPayroll, LB.globexSecret], [WF.globexPayroll, LB.acmeUrgent]]) {
      await db.query(sql`INSERT INTO flows.workflows_labels (workflow_id, label_id) VALUES (${w}, ${l})`);
    }
    for (const [id, author, workflow, body] of [
      [NOTE.annOnPayroll, users.ann.id, WF.globexPayroll, 'a'],
      [NOTE.annOnAudit, users.ann.id, WF.globexAudit, 'b'],
      [NOTE.cyOnBilling, users.cy.id, WF.acmeBilling, 'c'],
    ]) {
      await db.query(sql`INSERT INTO flows.notes (id, author_id, workflow_id, body) VALUES (${id}, ${author}, ${workflow}, ${body})`);
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  describe('reads', () => {
    it('lets every/none/not over partly hidden relation sets see only the visible rows', async () => {
      // Acme billing is linked to a Globex label ann cannot see: for her it has no labels at all,
      // so `every` holds whatever it asks, and asking about the hidden label's name reveals nothing
      const every = 'query($n: String!) { workflows(where: { labels: { every: { name: { eq: $n } } } }) { name } }';
      expect(names((await read(every, users.ann.token, { n: 'globex-secret' })).workflows)).toEqual(['Acme billing']);
      expect(names((await read(every, users.ann.token, { n: 'no-such-label' })).workflows)).toEqual(['Acme billing']);
      // the label ann sees is linked to a Globex workflow too: from the label, only Acme's side shows
      const some = 'query($n: String!) { labels(where: { workflows: { some: { name: { eq: $n } } } }) { name } }';
      expect((await read(some, users.ann.token, { n: 'Globex payroll' })).labels).toEqual([]);
      expect((await read(some, users.ann.token, { n: 'Acme onboarding' })).labels).toEqual([{ name: 'urgent' }]);
      expect((await read('{ labels(where: { workflows: { every: { tenant_id: { eq: "' + ACME + '" } } } }) { name } }', users.ann.token)).labels).toEqual([{ name: 'urgent' }]);
      // none: the archived (denied) workflow of Acme does not count against the tenant
      expect((await read('{ tenants(where: { workflows: { none: { archived: { eq: true } } } }) { name } }', users.ann.token)).tenants).toEqual([{ name: 'Acme' }]);
      expect((await read('{ workflows(where: { labels: { some: { tenant_id: { eq: "' + GLOBEX + '" } } } }) { name } }', users.ann.token)).workflows).toEqual([]);
      // ann's own notes point at Globex workflows: to-one filters through them match nothing,
      // and their negations match everything, whatever the hidden values are
      const notes = (where: string) => read(`{ notes(where: ${where}, orderBy: [{ body: ASC }]) { body } }`, users.ann.token).then((d) => d.notes.map((n: { body: string }) => n.body));
      expect(await notes('{ workflow: { name: { eq: "Globex payroll" } } }')).toEqual([]);
      expect(await notes('{ workflow: {} }')).toEqual([]);
      expect(await notes('{ not: { workflow: { name: { eq: "Globex payroll" } } } }')).toEqual(['a', 'b']);
      expect(await notes('{ not: { workflow: { name: { eq: "something else" } } } }')).toEqual(['a', 'b']);
      expect(await notes('{ or: [{ workflow: { tenant: { name: { like: "G%" } } } }, { and: [{ body: { eq: "a" } }, { not: { workflow: { archived: { eq: false } } } }] }] }')).toEqual(['a']);
      // nested and/or/not with to-one filters on executions stay within ann's three
      const execs = await read(`{ workflowExecutions(where: { or: [{ not: { workflow: { name: { eq: "Acme billing" } } } }, { workflow: { tenant: { name: { eq: "Globex" } } } }] }) { id } }`, users.ann.token);
      expect(execs.workflowExecutions.map((e: { id: string }) => e.id).sort()).toEqual([uid(301), uid(302)]);
    });

    it('computes min, max, groupBy keys and nested aggregates over visible rows only', async () => {
      const d = await read(`{ workflowsAggregate { count min { name } max { name } groupBy(by: [tenant_id, archived], orderBy: [{ count: DESC }]) { key { tenant_id archived } count } }
        workflowExecutionsAggregate { max { duration_ms created_at } min { status }
          groupBy(by: [workflow_id], orderBy: [{ count: DESC }, { workflow_id: ASC }], limit: 10) { key { workflow_id } count max { duration_ms } } } }`, users.ann.token);
      expect(d.workflowsAggregate).toEqual({
        count: 2,
        min: { name: 'Acme billing' },
        max: { name: 'Acme onboarding' },
        groupBy: [{ key: { tenant_id: ACME, archived: false }, count: 2 }],
      });
      expect(d.workflowExecutionsAggregate).toEqual({
        max: { duration_ms: 300, created_at: '2026-05-01T00:00:03+00:00' },
        min: { status: 'failed' },
        groupBy: [
          { key: { workflow_id: WF.acmeOnboarding }, count: 2, max: { duration_ms: 200 } },
          { key: { workflow_id: WF.acmeBilling }, count: 1, max: { duration_ms: 300 } },
        ],
      });
      // aggregates nested in relations, including through the junction, skip hidden rows on both sides
      const nested = await read(`{ labels { name workflowsAggregate { count max { name } } }
        workflows(orderBy: [{ name: ASC }]) { name labelsAggregate { count groupBy(by: [tenant_id]) { key { tenant_id } count } } notesAggregate { count } }
        tenants { name workflowsAggregate(where: { archived: { eq: true } }) { count } executionsAggregate { groupBy(by: [workflow_id]) { key { workflow_id } count } } } }`, users.ann.token);
      expect(nested.labels).toEqual([{ name: 'urgent', workflowsAggregate: { count: 1, max: { name: 'Acme onboarding' } } }]);
      expect(nested.workflows).toEqual([
        { name: 'Acme billing', labelsAggregate: { count: 0, groupBy: [] }, notesAggregate: { count: 0 } },
        { name: 'Acme onboarding', labelsAggregate: { count: 1, groupBy: [{ key: { tenant_id: ACME }, count: 1 }] }, notesAggregate: { count: 0 } },
      ]);
      expect(nested.tenants).toHaveLength(1);
      expect(nested.tenants[0].workflowsAggregate).toEqual({ count: 0 });
      expect(new Set(nested.tenants[0].executionsAggregate.groupBy.map((g: { key: { workflow_id: string } }) => g.key.workflow_id))).toEqual(new Set([WF.acmeOnboarding, WF.acmeBilling]));
      // bob: ann's notes on his workflows are hers, not his
      const bob = await read(`query($id: UUID!) { workflow(id: $id) { notes { body } notesAggregate { count max { body } } labels { name } } }`, users.bob.token, { id: WF.globexPayroll });
      expect(bob.workflow).toEqual({ notes: [], notesAggregate: { count: 0, max: { body: null } }, labels: [{ name: 'globex-secret' }] });
    });

    it('orders by hidden related rows as if they were null, and puts no hidden value in a cursor', async () => {
      // ann's notes a (on Globex payroll) and b (on Globex audit): ordered by their workflows' names,
      // a visible name would put b first ascending and a first descending
      const q = 'query($d: OrderDirection!) { notes(orderBy: [{ workflow: { name: $d } }, { body: ASC }]) { body workflow { name } } }';
      for (const d of ['ASC', 'DESC']) {
        expect((await read(q, users.ann.token, { d })).notes, d).toEqual([{ body: 'a', workflow: null }, { body: 'b', workflow: null }]);
      }
      const c = await read(`{ notesConnection(first: 1, orderBy: [{ workflow: { name: DESC } }, { workflow: { tenant: { name: ASC } } }]) {
        edges { cursor node { body } } pageInfo { endCursor hasNextPage } } }`, users.ann.token);
      const cursor = c.notesConnection.pageInfo.endCursor as string;
      const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
      expect(decoded).not.toMatch(/Globex|payroll|audit/);
      expect(JSON.parse(decoded).slice(0, 2)).toEqual([null, null]);
      const next = await read('query($a: String) { notesConnection(first: 5, after: $a, orderBy: [{ workflow: { name: DESC } }, { workflow: { tenant: { name: ASC } } }]) { edges { node { body } } } }', users.ann.token, { a: cursor });
      expect(next.notesConnection.edges).toHaveLength(1);
      // executions ordered by their workflow's name: cy sees all six, ann only her three
      const byWorkflow = '{ workflowExecutions(orderBy: [{ workflow: { name: DESC } }, { created_at: ASC }]) { id workflow { name } } }';
      expect((await read(byWorkflow, users.ann.token)).workflowExecutions.map((e: { id: string }) => e.id)).toEqual([uid(301), uid(302), uid(303)]);
    });

    it('pages backwards with another user’s cursors without reaching their rows', async () => {
      const q = `query($before: String, $last: Int) { workflowExecutionsConnection(last: $last, before: $before, orderBy: [{ created_at: ASC }]) {
        totalCount edges { cursor node { id tenant_id } } pageInfo { hasPreviousPage hasNextPage startCursor endCursor } } }`;
      const cy = (await read(q, users.cy.token, { last: 2 })).workflowExecutionsConnection;
      expect(cy.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([uid(305), uid(306)]);
      // before cy's Globex cursor, ann finds her own rows only; bob, before cy's Acme cursor, none
      const ann = (await read(q, users.ann.token, { last: 10, before: cy.pageInfo.startCursor })).workflowExecutionsConnection;
      expect(ann.totalCount).toBe(3);
      expect(ann.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([uid(301), uid(302), uid(303)]);
      const cyAll = (await read(q, users.cy.token, { last: 6 })).workflowExecutionsConnection;
      const acmeCursor = cyAll.edges.find((e: { node: { id: string } }) => e.node.id === uid(302)).cursor;
      const bob = (await read(q, users.bob.token, { last: 10, before: acmeCursor })).workflowExecutionsConnection;
      expect(bob).toMatchObject({ totalCount: 3, edges: [], pageInfo: { hasNextPage: true, startCursor: null, endCursor: null } });
      // a forged cursor sitting just after a hidden row (307, the archived workflow's execution) shows nothing of it
      const forged = Buffer.from(JSON.stringify(['2026-05-01T00:00:08Z', uid(999)])).toString('base64url');
      const annBefore = (await read(q, users.ann.token, { last: 1, before: forged })).workflowExecutionsConnection;
      expect(annBefore.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([uid(303)]);
    });

    it('refuses forged cursors whose values the column cannot hold as bad input, never as a database error', async () => {
      // cursor.ts promises BAD_USER_INPUT for any forged cursor; its checks are looser than the
      // columns (any JS integer for an int4 key, anything Date.parse reads for a timestamptz), so
      // these reach Postgres and come back as INTERNAL (masked: no leak, but an error logged per request)
      const cases: Array<[string, unknown[]]> = [
        ['{ workflowExecutionsConnection(first: 5, after: $c, orderBy: [{ duration_ms: ASC }]) { edges { node { id } } } }', [2 ** 40, uid(1)]],
        ['{ workflowExecutionsConnection(first: 5, after: $c, orderBy: [{ created_at: ASC }]) { edges { node { id } } } }', ['1', uid(1)]],
      ];
      const seen: string[] = [];
      for (const [body, values] of cases) {
        const q = `query($c: String) ${body}`;
        const r = await post(q, users.ann.token, { c: Buffer.from(JSON.stringify(values)).toString('base64url') });
        expect(leaksInternals(r.text)).toBe(false);
        seen.push(`${JSON.stringify(values)} → ${code(r)}`);
      }
      expect(seen).toEqual(cases.map(([, values]) => `${JSON.stringify(values)} → BAD_USER_INPUT`));
    });

    it('answers by-pk lookups of hidden rows with null, and keeps the relations of visible ones inside the tenant', async () => {
      const [cyAcme] = await s.app.db.query<{ id: string }>(sql`SELECT id FROM flows.tenant_members WHERE user_id = ${users.cy.id} AND tenant_id = ${ACME}`);
      const d = await read(`query($m: UUID!, $l: UUID!, $n: UUID!, $w: UUID!) {
        tenantMember(id: $m) { id tenant { name } }
        label(id: $l) { name workflows { name } }
        note(id: $n) { body }
        workflowsLabel: workflow(id: $w) { name labels { name } labelsAggregate { count } notes { body } tenant { members { user_id } labels { name } workflows { name } } } }`,
      users.ann.token, { m: cyAcme!.id, l: LB.globexSecret, n: NOTE.cyOnBilling, w: WF.acmeBilling });
      expect(d).toEqual({
        tenantMember: null,
        label: null,
        note: null,
        workflowsLabel: {
          name: 'Acme billing',
          labels: [],
          labelsAggregate: { count: 0 },
          notes: [],
          tenant: { members: [{ user_id: users.ann.id }], labels: [{ name: 'urgent' }], workflows: expect.arrayContaining([{ name: 'Acme billing' }]) },
        },
      });
      expect(names(d.workflowsLabel.tenant.workflows)).toEqual(['Acme billing', 'Acme onboarding']);
      // ann's own note is hers, its Globex workflow is not
      expect(await read('query($n: UUID!) { note(id: $n) { body workflow { name tenant { name } } } }', users.ann.token, { n: NOTE.annOnPayroll })).toEqual({
        note: { body: 'a', workflow: null },
      });
      // the junction: links of visible workflows only, and their hidden ends read as null
      const links = await read('{ workflowsLabels { workflow { name } label { name } } workflowsLabelsAggregate { count } }', users.ann.token);
      expect(links.workflowsLabelsAggregate).toEqual({ count: 2 });
      expect(links.workflowsLabels).toEqual(expect.arrayContaining([{ workflow: { name: 'Acme onboarding' }, label: { name: 'urgent' } }, { workflow: { name: 'Acme billing' }, label: null }]));
    });

    it('gives the same answers with directives, fragments and aliases on the fast path and through yoga', async () => {
      const q = `query($deep: Boolean!, $skip: Boolean!) {
        ...Root
        w2: workflows(where: { tenant: { name: { eq: "Globex" } } }) @include(if: $deep) { ...W }
        g: workflowExecutionsAggregate(where: { tenant_id: { eq: "${GLOBEX}" } }) @skip(if: $skip) { count }
      }
      fragment Root on Query { w1: workflows(orderBy: [{ name: ASC }]) { ...W } __typename }
      fragment W on Workflow { name ... on Workflow { labels { name } t: tenant @include(if: $deep) { members { user_id } } notes @skip(if: $skip) { body } } }`;
      for (const [deep, skip] of [[true, false], [false, true], [true, true]]) {
        const d = await read(q, users.ann.token, { deep, skip });
        expect(d.w1.map((w: { name: string }) => w.name)).toEqual(['Acme billing', 'Acme onboarding']);
        expect(d.w1[1].labels).toEqual([{ name: 'urgent' }]);
        expect(d.w1[0].labels).toEqual([]);
        if (deep) {
          expect(d.w2).toEqual([]);
          expect(d.w1[0].t).toEqual({ members: [{ user_id: users.ann.id }] });
        } else expect(d).not.toHaveProperty('w2');
        if (!skip) {
          expect(d.g).toEqual({ count: 0 });
          expect(d.w1[0].notes).toEqual([]);
        }
      }
    });
  });

  describe('writes', () => {
    it('keeps hidden related rows out of mutation results', async () => {
      // a note of ann's on a Globex workflow: the insert is hers to make, the workflow is not hers to see
      const ins = await post(`mutation($a: UUID!, $w: UUID!) { insertNote(input: { author_id: $a, workflow_id: $w, body: "probe" }) { body workflow { name tenant { name } } } }`, users.ann.token, { a: users.ann.id, w: WF.globexAudit });
      expect(ins.body).toEqual({ data: { insertNote: { body: 'probe', workflow: null } } });
      const upd = await post('mutation { updateNotes(where: { body: { eq: "probe" } }, set: { body: "probe2" }) { affectedRows returning { body workflow { name executions { id } } } } }', users.ann.token);
      expect(upd.body).toEqual({ data: { updateNotes: { affectedRows: 1, returning: [{ body: 'probe2', workflow: null }] } } });
      const del = await post('mutation { deleteNotes(where: { body: { eq: "probe2" } }) { affectedRows returning { workflow { name } } } }', users.ann.token);
      expect(del.body).toEqual({ data: { deleteNotes: { affectedRows: 1, returning: [{ workflow: null }] } } });
      // bob updates his own workflow: ann's notes on it and Acme's label linked to it stay hidden
      const bob = await post(`mutation($id: UUID!) { updateWorkflow(id: $id, set: { name: "Globex payroll" }) { name notes { body } notesAggregate { count } labels { name } labelsAggregate { count }
        tenant { members { user_id } labels { name } } executions(orderBy: [{ created_at: ASC }]) { id } } }`, users.bob.token, { id: WF.globexPayroll });
      expect(bob.body).toEqual({
        data: {
          updateWorkflow: {
            name: 'Globex payroll', notes: [], notesAggregate: { count: 0 }, labels: [{ name: 'globex-secret' }], labelsAggregate: { count: 1 },
            tenant: { members: [{ user_id: users.bob.id }], labels: [{ name: 'globex-secret' }] }, executions: [{ id: uid(304) }, { id: uid(305) }],
          },
        },
      });
      // a new Acme label's returned workflows: the insert's own, none of Globex's
      const label = await post(`mutation($t: UUID!) { insertLabel(input: { tenant_id: $t, name: "fresh" }) { name tenant { name labels { name } } workflows { name } } }`, users.ann.token, { t: ACME });
      expect(label.body.errors).toBeUndefined();
      expect(label.body.data!.insertLabel.workflows).toEqual([]);
      // (relations of a result read the rows as they were before the statement, so not the new label itself)
      expect(names(label.body.data!.insertLabel.tenant.labels)).toEqual(['urgent']);
    });

    it('lets relation filters of update and delete reach no hidden row', async () => {
      const before = await snapshot();
      const attempts: Array<[string, string]> = [
        ['mutation { updateWorkflowExecutions(where: { workflow: { archived: { eq: true } } }, set: { status: "hit" }) { affectedRows } }', 'updateWorkflowExecutions'],
        ['mutation { updateWorkflows(where: { labels: { some: { name: { eq: "globex-secret" } } } }, set: { name: "hit" }) { affectedRows } }', 'updateWorkflows'],
        ['mutation { updateWorkflows(where: { tenant: { name: { eq: "Globex" } } }, set: { name: "hit" }) { affectedRows } }', 'updateWorkflows'],
        [`mutation { deleteWorkflowExecutions(where: { not: { tenant_id: { eq: "${ACME}" } } }) { affectedRows } }`, 'deleteWorkflowExecutions'],
        ['mutation { deleteWorkflowExecutions(where: { workflow: { notes: { some: { body: { eq: "a" } } } } }) { affectedRows } }', 'deleteWorkflowExecutions'],
        ['mutation { deleteNotes(where: { workflow: { tenant: { name: { eq: "Globex" } } } }) { affectedRows } }', 'deleteNotes'],
        ['mutation { updateNotes(where: { workflow: { name: { like: "%" } } }, set: { body: "hit" }) { affectedRows } }', 'updateNotes'],
        ['mutation { deleteWorkflows(where: { tenant: { workflows: { some: { archived: { eq: true } } } } }) { affectedRows } }', 'deleteWorkflows'],
      ];
      for (const [q, field] of attempts) {
        const r = await post(q, users.ann.token);
        expect(r.body, q).toEqual({ data: { [field]: { affectedRows: 0 } } });
      }
      expect(await snapshot()).toEqual(before);
      // every over an empty visible set holds: of ann's workflows, billing (no visible label) matches;
      // the update touches it alone, never a Globex row
      const r = await post('mutation { updateWorkflows(where: { labels: { every: { name: { eq: "zzz" } } } }, set: { name: "Acme billing" }) { affectedRows returning { id } } }', users.ann.token);
      expect(r.body).toEqual({ data: { updateWorkflows: { affectedRows: 1, returning: [{ id: WF.acmeBilling }] } } });
      // cy, in both tenants, updates her notes only (ann's notes on the same workflows stay as they are)
      const cy = await post('mutation { updateNotes(where: {}, set: { body: "c" }) { affectedRows returning { id } } }', users.cy.token);
      expect(cy.body).toEqual({ data: { updateNotes: { affectedRows: 1, returning: [{ id: NOTE.cyOnBilling }] } } });
    });

    it('refuses many-to-many nested inserts and junction writes that touch hidden rows', async () => {
      const before = await snapshot();
      const attempts: Array<[string, Record<string, unknown>]> = [
        // a new label in the other tenant, linked to a new own workflow
        ['mutation($a: UUID!, $g: UUID!) { insertWorkflow(input: { tenant_id: $a, name: "m2m", labels: { data: [{ tenant_id: $g, name: "planted" }] } }) { id } }', { a: ACME, g: GLOBEX }],
        // taking over the hidden label by its id
        ['mutation($a: UUID!, $l: UUID!) { insertWorkflow(input: { tenant_id: $a, name: "m2m", labels: { data: [{ id: $l, tenant_id: $a, name: "stolen" }] } }) { id labels { name } } }', { a: ACME, l: LB.globexSecret }],
        // from the label side, taking over a Globex workflow by its id
        ['mutation($a: UUID!, $w: UUID!) { insertLabel(input: { tenant_id: $a, name: "m2m", workflows: { data: [{ id: $w, tenant_id: $a, name: "stolen" }] } }) { id workflows { name } } }', { a: ACME, w: WF.globexPayroll }],
        // links from an own workflow to a hidden label, and from a hidden workflow to an own label
        ['mutation($w: UUID!, $l: UUID!) { insertWorkflowsLabel(input: { workflow_id: $w, label_id: $l }) { id label { name } } }', { w: WF.acmeOnboarding, l: LB.globexSecret }],
        ['mutation($w: UUID!, $l: UUID!) { insertWorkflowsLabel(input: { workflow_id: $w, label_id: $l }) { id workflow { name } } }', { w: WF.globexAudit, l: LB.acmeUrgent }],
        // the link exists already (to the hidden label): even a do-nothing upsert is checked against the policy first
        ['mutation($w: UUID!, $l: UUID!) { insertWorkflowsLabels(inputs: [{ workflow_id: $w, label_id: $l }], onConflict: { conflictColumns: [workflow_id, label_id], updateColumns: [] }) { affectedRows } }', { w: WF.acmeBilling, l: LB.globexSecret }],
        // an own link to the archived (denied) workflow
        ['mutation($w: UUID!, $l: UUID!) { insertWorkflowsLabel(input: { workflow_id: $w, label_id: $l }) { id } }', { w: WF.acmeLegacy, l: LB.acmeUrgent }],
      ];
      for (const [q, v] of attempts) {
        const r = await post(q, users.ann.token, v);
        refused(r, ['FORBIDDEN', 'CONFLICT']);
      }
      expect(await snapshot()).toEqual(before);
      // the same nesting inside the tenant works
      const ok = await post('mutation($a: UUID!) { insertWorkflow(input: { tenant_id: $a, name: "Acme m2m", labels: { data: [{ tenant_id: $a, name: "mine" }] } }) { name labels { name tenant { name } } } }', users.ann.token, { a: ACME });
      expect(ok.body).toEqual({ data: { insertWorkflow: { name: 'Acme m2m', labels: [{ name: 'mine', tenant: { name: 'Acme' } }] } } });
    });

    it('does not let a role write junction rows through nested inserts when it may not insert into the junction', async () => {
      // mutation-schema.ts offers a nested many-to-many input when the role may insert into the
      // target (labels), without looking at the junction; nested-insert.ts then writes the links
      // eve's role reads links but may not write them: her schema has no junction insert ...
      const schema = await read('{ __type(name: "Mutation") { fields { name } } }', users.eve.token);
      const fields = schema.__type.fields.map((f: { name: string }) => f.name);
      expect(fields).toContain('insertWorkflow');
      expect(fields).not.toContain('insertWorkflowsLabel');
      // ... and a nested insert must not write one for her either
      const links = await countRows('workflows_labels');
      const r = await post('mutation($a: UUID!) { insertWorkflow(input: { tenant_id: $a, name: "eve m2m", labels: { data: [{ tenant_id: $a, name: "eve" }] } }) { name labels { name } } }', users.eve.token, { a: ACME });
      expect(r.body.data?.insertWorkflow ?? null, r.text).toBeNull();
      expect(['BAD_USER_INPUT', 'FORBIDDEN']).toContain(code(r));
      expect(await countRows('workflows_labels')).toBe(links);
      expect(await countRows('workflows', sql`name = 'eve m2m'`)).toBe(0);
    });

    it('lets no upsert reach a hidden row, and a do-nothing upsert returns nothing of it', async () => {
      const before = await snapshot();
      // do nothing on a Globex workflow's id: skipped, nothing returned, nothing written (that it is
      // skipped at all tells the id exists: Postgres's unique check ignores row-level security)
      const nothing = await post(`mutation($id: UUID!, $a: UUID!) { insertWorkflows(inputs: [{ id: $id, tenant_id: $a, name: "shadow" }], onConflict: { conflictColumns: [id], updateColumns: [] }) {
        affectedRows returning { id name tenant { name } } } }`, users.ann.token, { id: WF.globexPayroll, a: ACME });
      expect(nothing.body).toEqual({ data: { insertWorkflows: { affectedRows: 0, returning: [] } } });
      // updating the archived (denied) Acme workflow, or taking a Globex label, is refused
      refused(await post(`mutation($id: UUID!, $a: UUID!) { insertWorkflows(inputs: [{ id: $id, tenant_id: $a, name: "revived" }], onConflict: { conflictColumns: [id], updateColumns: [name, archived] }) { returning { name } } }`, users.ann.token, { id: WF.acmeLegacy, a: ACME }), ['FORBIDDEN']);
      refused(await post(`mutation($id: UUID!, $a: UUID!) { insertLabels(inputs: [{ id: $id, tenant_id: $a, name: "stolen" }], onConflict: { conflictColumns: [id], updateColumns: [name, tenant_id] }) { affectedRows } }`, users.ann.token, { id: LB.globexSecret, a: ACME }), ['FORBIDDEN']);
      // a plain insert with a hidden row's id: refused without naming anything of the row
      refused(await post(`mutation($id: UUID!, $a: UUID!) { insertWorkflow(input: { id: $id, tenant_id: $a, name: "shadow" }) { id } }`, users.ann.token, { id: WF.globexAudit, a: ACME }), ['CONFLICT', 'FORBIDDEN']);
      expect(await snapshot()).toEqual(before);
    });

    it('rolls back a batch of mutation fields as a whole when one of them reaches another tenant', async () => {
      const before = await snapshot();
      const batches: Array<[string, Record<string, unknown>]> = [
        // own writes first, the foreign insert last
        [`mutation($a: UUID!, $g: UUID!) { w: insertWorkflow(input: { tenant_id: $a, name: "batch" }) { id }
          e: updateWorkflowExecutions(where: {}, set: { status: "batch" }) { affectedRows }
          d: deleteNotes(where: {}) { affectedRows }
          x: insertWorkflow(input: { tenant_id: $g, name: "batch" }) { id } }`, { a: ACME, g: GLOBEX }],
        // the foreign write first: the rest must not run
        [`mutation($a: UUID!, $g: UUID!) { x: insertLabel(input: { tenant_id: $g, name: "batch" }) { id } w: insertWorkflow(input: { tenant_id: $a, name: "batch" }) { id } }`, { a: ACME, g: GLOBEX }],
        // a note in someone else's name between two own writes
        [`mutation($a: UUID!, $b: UUID!) { w: insertWorkflow(input: { tenant_id: $a, name: "batch" }) { id } n: insertNote(input: { author_id: $b, body: "batch" }) { id } e: deleteWorkflowExecutions(where: {}) { affectedRows } }`, { a: ACME, b: users.bob.id }],
        // the same, written as one fragment spread, and with a variable-driven directive
        [`mutation($a: UUID!, $g: UUID!, $on: Boolean!) { ...Both } fragment Both on Mutation { w: insertWorkflow(input: { tenant_id: $a, name: "batch" }) { id } x: insertWorkflow(input: { tenant_id: $g, name: "batch" }) @include(if: $on) { id } }`, { a: ACME, g: GLOBEX, on: true }],
        // a nested insert (a transaction of its own statements) followed by a foreign one
        [`mutation($a: UUID!, $g: UUID!) { w: insertWorkflow(input: { tenant_id: $a, name: "batch", executions: { data: [{ tenant_id: $a, status: "batch" }] } }) { id } x: insertWorkflowExecution(input: { tenant_id: $g, workflow_id: "${WF.globexAudit}", status: "batch" }) { id } }`, { a: ACME, g: GLOBEX }],
      ];
      for (const [q, v] of batches) {
        const r = await post(q, users.ann.token, v);
        expect(r.body.data ?? null, q).toBeNull();
        expect(r.body.errors?.map((e) => e.extensions?.code), q).toContain('FORBIDDEN');
        expect(leaksInternals(r.text)).toBe(false);
        expect(await snapshot(), q).toEqual(before);
      }
      // when the foreign field is skipped, the rest commits, inside the tenant
      const ok = await post(batches[3]![0], users.ann.token, { a: ACME, g: GLOBEX, on: false });
      expect(ok.body.errors).toBeUndefined();
      expect(await countRows('workflows', sql`name = 'batch' AND tenant_id = ${ACME}`)).toBe(1);
      expect(await countRows('workflows', sql`name = 'batch' AND tenant_id <> ${ACME}`)).toBe(0);
    });

    it('runs each user’s batch in their own frame, also after the admin ran the same document', async () => {
      // the same text compiles to the same SQL (a prepared statement per connection on PostgreSQL):
      // a plan made for the owner must not serve a member
      const q = `mutation($s: String!, $n: String!) { a: updateWorkflowExecutions(where: { status: { eq: $s } }, set: { duration_ms: 7 }) { returning { tenant_id } }
        b: updateWorkflows(where: { name: { like: $n } }, set: {}) { returning { tenant_id } } }`;
      for (let i = 0; i < 6; i++) await asAdmin(q, { s: 'nothing-matches', n: 'nothing-matches' });
      const before = await snapshot();
      const r = await post(q, users.bob.token, { s: 'succeeded', n: '%' });
      expect(r.body.errors).toBeUndefined();
      const tenantsOf = (rows: Array<{ tenant_id: string }>) => new Set(rows.map((x) => x.tenant_id));
      expect(tenantsOf(r.body.data!.a.returning)).toEqual(new Set([GLOBEX]));
      expect(tenantsOf(r.body.data!.b.returning)).toEqual(new Set([GLOBEX]));
      expect(r.body.data!.a.returning).toHaveLength(2);
      expect(r.body.data!.b.returning).toHaveLength(2);
      const after = await snapshot();
      const acmeExecs = (snap: any) => snap.workflow_executions.filter((e: { tenant_id: string }) => e.tenant_id === ACME);
      expect(acmeExecs(after)).toEqual(acmeExecs(before));
      expect(after.workflows.filter((w: { tenant_id: string }) => w.tenant_id === ACME)).toEqual(before.workflows.filter((w: { tenant_id: string }) => w.tenant_id === ACME));
    });
  });

  describe('callers and schema', () => {
    it('shows a member and an anonymous caller only their role’s view in introspection', async () => {
      const q = `{ __schema { types { name } mutationType { fields { name } } queryType { fields { name } } }
        workflow: __type(name: "Workflow") { fields { name } } filter: __type(name: "WorkflowFilter") { inputFields { name } } }`;
      const member = await read(q, users.ann.token);
      const memberMutations = member.__schema.mutationType.fields.map((f: { name: string }) => f.name);
      expect(memberMutations.filter((n: string) => /Tenant/.test(n))).toEqual([]);
      expect(memberMutations.filter((n: string) => /^(update|delete)Label/.test(n))).toEqual([]);
      const types = member.__schema.types.map((t: { name: string }) => t.name);
      expect(types).not.toContain('TenantInsertInput');
      expect(types).not.toContain('TenantMemberSetInput');
      const anon = await read(q);
      expect(anon.__schema.queryType.fields.map((f: { name: string }) => f.name).sort()).toEqual(['workflow', 'workflows', 'workflowsAggregate', 'workflowsConnection']);
      expect(anon.__schema.mutationType.fields.map((f: { name: string }) => f.name).sort()).toEqual(['signIn', 'signUp']);
      const anonTypes: string[] = anon.__schema.types.map((t: { name: string }) => t.name);
      expect(anonTypes.filter((n) => /Tenant|Execution|Label|Note/.test(n))).toEqual([]);
      expect(anon.workflow.fields.map((f: { name: string }) => f.name).sort()).toEqual(['archived', 'created_at', 'id', 'name', 'tenant_id', 'updated_at']);
      expect(anon.filter.inputFields.map((f: { name: string }) => f.name)).not.toContain('tenant');
      // a misspelt hidden field is not answered with a suggestion that names it
      const r = await post('{ tenantMember { id } }');
      expect(code(r)).toBe('BAD_USER_INPUT');
      expect(r.text).not.toMatch(/tenantMembers|"tenants?"|TenantMember/);
    });

    it('shows anonymous callers nothing through aggregates, connections, by-pk or writes', async () => {
      const d = await read(`query($id: UUID!) { workflowsAggregate { count max { name } groupBy(by: [tenant_id]) { key { tenant_id } count } }
        workflowsConnection(last: 5, orderBy: [{ name: DESC }]) { totalCount edges { node { name } } pageInfo { startCursor } }
        workflow(id: $id) { name } workflows(where: { tenant_id: { eq: "${ACME}" } }) { name } }`, undefined, { id: WF.acmeBilling });
      expect(d).toEqual({
        workflowsAggregate: { count: 0, max: { name: null }, groupBy: [] },
        workflowsConnection: { totalCount: 0, edges: [], pageInfo: { startCursor: null } },
        workflow: null,
        workflows: [],
      });
      const r = await post('mutation($a: UUID!) { insertWorkflow(input: { tenant_id: $a, name: "anon" }) { id } }', undefined, { a: ACME });
      expect(code(r)).toBe('BAD_USER_INPUT');
      expect(await countRows('workflows', sql`name = 'anon'`)).toBe(0);
    });

    it('refuses expired, tampered, forged and foreign tokens instead of treating them as anonymous or as someone else', async () => {
      const now = Math.floor(Date.now() / 1000);
      const [header, payload] = users.ann.token.split('.');
      const annClaims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
      const tampered = [header, Buffer.from(JSON.stringify({ ...annClaims, sub: users.bob.id })).toString('base64url'), users.ann.token.split('.')[2]].join('.');
      const none = [Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'), Buffer.from(JSON.stringify({ ...annClaims, sub: users.bob.id })).toString('base64url'), ''].join('.');
      const bad: Record<string, string> = {
        expired: await sign({ sub: users.ann.id, role: 'member', aud: 'flows' }, now - 60),
        tampered,
        none,
        wrongKey: await sign({ sub: users.bob.id, role: 'member', aud: 'flows' }, now + 600, 'another-secret-that-is-also-32-bytes-long!!'),
        otherProject: await sign({ sub: users.ann.id, role: 'member', aud: 'shop' }, now + 600),
        unknownUser: await sign({ sub: uid(999), role: 'member', aud: 'flows' }, now + 600),
        notAUuid: await sign({ sub: 'ann', role: 'member', aud: 'flows' }, now + 600),
      };
      const q = '{ workflows { name } }';
      for (const [what, token] of Object.entries(bad)) {
        for (const r of [await post(q, token), await get(q, token)]) {
          expect(code(r), `${what}: ${r.text}`).toBe('UNAUTHENTICATED');
          expect(r.body.data ?? null, what).toBeNull();
          expect(leaksInternals(r.text)).toBe(false);
        }
        const w = await post('mutation { deleteWorkflowExecutions(where: {}) { affectedRows } }', token);
        expect(code(w), what).toBe('UNAUTHENTICATED');
      }
      for (const header of ['Basic YW5uOnBhc3N3b3Jk', 'Bearer', `Bearer ${users.ann.token} extra`]) {
        const res = await fetch(endpoint(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: header }, body: JSON.stringify({ query: q }) });
        const body = (await res.json()) as GqlResponse['body'];
        expect(body.errors?.[0]?.extensions?.code, header).toBe('UNAUTHENTICATED');
        expect(body.data ?? null).toBeNull();
      }
      // a validly signed token claiming a privileged role still runs as the user's own role and rows
      const claimsAdmin = await sign({ sub: users.ann.id, role: 'admin', aud: 'flows' }, now + 600);
      const d = await read('{ tenants { name } workflowsAggregate { count } }', claimsAdmin);
      expect(d).toEqual({ tenants: [{ name: 'Acme' }], workflowsAggregate: { count: expect.any(Number) } });
      expect(d.workflowsAggregate.count).toBe(await countRows('workflows', sql`tenant_id = ${ACME} AND NOT archived`));
    });

    it('answers a batched (JSON array) request without running any of it', async () => {
      const before = await snapshot();
      const res = await fetch(endpoint(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...auth(users.ann.token) },
        body: JSON.stringify([
          { query: 'mutation { deleteWorkflowExecutions(where: {}) { affectedRows } }' },
          { query: `mutation { insertWorkflow(input: { tenant_id: "${GLOBEX}", name: "batched" }) { id } }` },
        ]),
      });
      const text = await res.text();
      expect(text).not.toMatch(/affectedRows|"id"/);
      expect(leaksInternals(text)).toBe(false);
      expect(await snapshot()).toEqual(before);
    });

    it('does not tell an unknown email from a wrong password at sign-in', async () => {
      const q = 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }';
      const wrong = await post(q, users.ann.token, { e: 'bob@example.com', p: 'not-his-password' });
      const unknown = await post(q, users.ann.token, { e: 'nobody@example.com', p: 'not-his-password' });
      expect(wrong.body.data ?? null).toBeNull();
      expect(code(wrong)).toBe('UNAUTHENTICATED');
      expect(unknown.body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual(wrong.body.errors?.map((e) => [e.message, e.extensions?.code]));
    });

    it('performs no mutation sent by GET', async () => {
      const before = await snapshot();
      const r = await get('mutation { deleteWorkflowExecutions(where: {}) { affectedRows } deleteNotes(where: {}) { affectedRows } }', users.ann.token);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.body.data ?? null).toBeNull();
      expect(await snapshot()).toEqual(before);
    });
  });
});
