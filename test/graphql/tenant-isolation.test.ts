/**
 * Multi-tenant isolation, modelled on a workflow SaaS: tenants, tenant_members (role, status),
 * workflows and workflow_executions, guarded by membership policies such as
 *   exists(tenant_members where tenant_members.tenant_id = tenant_id
 *          and tenant_members.user_id = auth.uid() and tenant_members.status = 'active')
 * Users in one tenant (ann in Acme, bob in Globex), in both (cy), and one who gets suspended
 * (dee, in Acme); anonymous callers. Every read is asserted on the fast path (POST) and through
 * yoga (GET), on both engines; writes go through the real endpoint. Nobody reads or writes
 * outside their tenants, on any path: lists, by-pk, connections and their cursors, totalCount,
 * aggregates and groupBy, nested relations, relation filters, inserts (single, batch, nested,
 * upsert), updates and deletes with their returning rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ident, sql } from '../../src/lib/sql.js';
import { uid } from '../fixtures/blog.js';
import { ACME, defineProject, enableRls, GLOBEX, seedTenants, TENANT_POLICIES, TENANT_SETUP, TENANT_TABLES, WF } from '../fixtures/tenants.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type GqlResponse, type TestServer } from '../support/server.js';

const crud = (table: string, actions: string[]) => actions.map((a) => `{ action: ${a}, resource: "flows:${table}" }`).join(', ');
const MEMBER_ROLE = `mutation { createRole(input: { name: "member", permissions: [${[
  crud('tenants', ['SELECT']),
  crud('tenant_members', ['SELECT']),
  crud('workflows', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  crud('workflow_executions', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
].join(', ')}] }) { name } }`;

describe.each(ENGINES)('tenant isolation on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  const users: Record<'ann' | 'bob' | 'cy' | 'dee', { token: string; id: string }> = {} as never;
  const post = (query: string, token?: string, variables?: Record<string, unknown>) => s.gql('/projects/flows/graphql', query, variables, token);
  const get = async (query: string, token?: string, variables?: Record<string, unknown>) => {
    const url = new URL(`${s.url}/projects/flows/graphql`);
    url.searchParams.set('query', query);
    if (variables) url.searchParams.set('variables', JSON.stringify(variables));
    const res = await fetch(url, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    return (await res.json()) as GqlResponse['body'];
  };
  /** a read on both paths: the fast path (POST) and yoga (GET) must agree and succeed */
  const read = async (query: string, token?: string, variables?: Record<string, unknown>) => {
    const viaPost = await post(query, token, variables);
    expect(viaPost.body.errors, query).toBeUndefined();
    const viaGet = await get(query, token, variables);
    expect(viaGet, query).toEqual(viaPost.body);
    return viaPost.body.data!;
  };
  const asAdmin = async (query: string) => {
    const r = await post(query, admin);
    expect(r.body.errors, query).toBeUndefined();
    return r.body.data!;
  };
  const names = (rows: Array<{ name: string }>) => rows.map((r) => r.name).sort();
  const forbidden = (r: GqlResponse) => {
    expect(r.body.errors?.[0]?.extensions?.code, r.text).toBe('FORBIDDEN');
    expect(leaksInternals(r.text)).toBe(false);
  };
  const countRows = async (table: string, where = sql`TRUE`) => {
    const [row] = await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${ident('flows', table)} WHERE ${where}`);
    return Number(row!.n);
  };

  beforeAll(async () => {
    s = await startTestServer(engine);
    admin = await s.signInAdmin();
    await defineProject(s, admin, [MEMBER_ROLE, ...TENANT_SETUP, ...enableRls(TENANT_TABLES)], TENANT_POLICIES);
    for (const name of ['ann', 'bob', 'cy', 'dee'] as const) {
      const r = await post('mutation($e: String!) { signUp(email: $e, password: "password-123") { token user { id } } }', undefined, { e: `${name}@example.com` });
      expect(r.body.errors).toBeUndefined();
      users[name] = { token: r.body.data!.signUp.token, id: r.body.data!.signUp.user.id };
    }
    await seedTenants(s, [
      [users.ann.id, ACME, 'OWNER'], [users.bob.id, GLOBEX, 'OWNER'], [users.cy.id, ACME, 'MEMBER'], [users.cy.id, GLOBEX, 'MEMBER'], [users.dee.id, ACME, 'MEMBER'],
    ]);
  });
  afterAll(async () => {
    await s?.close();
  });

  describe('reads', () => {
    it('lists only the rows of the caller’s active tenants; deny beats allow (archived hidden)', async () => {
      const q = '{ tenants(orderBy: [{ name: ASC }]) { name } workflows { name } workflowExecutions { id } }';
      const seen = async (token: string) => {
        const d = await read(q, token);
        return { tenants: names(d.tenants), workflows: names(d.workflows), executions: d.workflowExecutions.length };
      };
      expect(await seen(users.ann.token)).toEqual({ tenants: ['Acme'], workflows: ['Acme billing', 'Acme onboarding'], executions: 3 });
      expect(await seen(users.bob.token)).toEqual({ tenants: ['Globex'], workflows: ['Globex audit', 'Globex payroll'], executions: 3 });
      expect(await seen(users.cy.token)).toEqual({
        tenants: ['Acme', 'Globex'],
        workflows: ['Acme billing', 'Acme onboarding', 'Globex audit', 'Globex payroll'],
        executions: 6,
      });
      // the admin bypasses row-level security by design and sees the archived workflow too
      const all = await asAdmin('{ workflowsAggregate { count } workflowExecutionsAggregate { count } }');
      expect(all).toEqual({ workflowsAggregate: { count: 5 }, workflowExecutionsAggregate: { count: 7 } });
    });

    it('answers by-pk lookups outside the tenant (or of a denied row) with null', async () => {
      const q = 'query($id: UUID!) { workflow(id: $id) { name } }';
      expect(await read(q, users.ann.token, { id: WF.acmeBilling })).toEqual({ workflow: { name: 'Acme billing' } });
      expect(await read(q, users.ann.token, { id: WF.globexPayroll })).toEqual({ workflow: null });
      expect(await read(q, users.ann.token, { id: WF.acmeLegacy })).toEqual({ workflow: null });
      expect(await read('query($id: UUID!) { workflowExecution(id: $id) { id } }', users.bob.token, { id: uid(301) })).toEqual({ workflowExecution: null });
      expect(await read('query($id: UUID!) { tenant(id: $id) { name } }', users.bob.token, { id: ACME })).toEqual({ tenant: null });
    });

    it('counts and pages connections over visible rows only, and a foreign cursor opens nothing', async () => {
      const q = `query($after: String) { workflowExecutionsConnection(first: 2, after: $after, orderBy: [{ created_at: ASC }]) {
        totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
      const ann = await read(q, users.ann.token);
      expect(ann.workflowExecutionsConnection.totalCount).toBe(3);
      expect(ann.workflowExecutionsConnection.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([uid(301), uid(302)]);
      // cy sees both tenants; her cursor after 303 (Acme) handed to ann must not reveal Globex rows
      const cyFirst = await read(q.replace('first: 2', 'first: 3'), users.cy.token);
      expect(cyFirst.workflowExecutionsConnection.totalCount).toBe(6);
      const cursor = cyFirst.workflowExecutionsConnection.pageInfo.endCursor;
      const cyNext = await read(q, users.cy.token, { after: cursor });
      expect(cyNext.workflowExecutionsConnection.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([uid(304), uid(305)]);
      const annNext = await read(q, users.ann.token, { after: cursor });
      expect(annNext.workflowExecutionsConnection).toMatchObject({ totalCount: 3, edges: [], pageInfo: { hasNextPage: false } });
      // a forged cursor is refused as bad input, never a database error
      const forged = await post(q, users.ann.token, { after: Buffer.from(JSON.stringify(["1970-01-01T00:00:00Z' OR 1=1 --", 'x'])).toString('base64url') });
      expect(forged.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(leaksInternals(forged.text)).toBe(false);
      // paging backwards from the end reaches no foreign row either
      const last = await read('{ workflowExecutionsConnection(last: 10, orderBy: [{ created_at: ASC }]) { totalCount edges { node { tenant_id } } } }', users.bob.token);
      expect(last.workflowExecutionsConnection.totalCount).toBe(3);
      expect(new Set(last.workflowExecutionsConnection.edges.map((e: { node: { tenant_id: string } }) => e.node.tenant_id))).toEqual(new Set([GLOBEX]));
    });

    it('aggregates and groups over visible rows only', async () => {
      const q = `{ workflowExecutionsAggregate { count sum { duration_ms } max { duration_ms }
        groupBy(by: [tenant_id], orderBy: [{ count: DESC }]) { key { tenant_id } count sum { duration_ms } } } }`;
      const ann = (await read(q, users.ann.token)).workflowExecutionsAggregate;
      expect(ann).toMatchObject({ count: 3, sum: { duration_ms: '600' }, max: { duration_ms: 300 } });
      expect(ann.groupBy).toEqual([{ key: { tenant_id: ACME }, count: 3, sum: { duration_ms: '600' } }]);
      const cy = (await read(q, users.cy.token)).workflowExecutionsAggregate;
      expect(cy).toMatchObject({ count: 6, sum: { duration_ms: '6600' } });
      // filtering on a foreign tenant's id through an aggregate finds nothing
      const probe = await read(`query($t: UUID!) { workflowExecutionsAggregate(where: { tenant_id: { eq: $t } }) { count sum { duration_ms } } }`, users.ann.token, { t: GLOBEX });
      expect(probe.workflowExecutionsAggregate).toEqual({ count: 0, sum: { duration_ms: null } });
    });

    it('keeps nested relations and their aggregates inside the tenant', async () => {
      const q = `{ tenants { name workflows(orderBy: [{ name: ASC }]) { name executionsAggregate { count } executions { status workflow { name } } }
        executionsAggregate { count } members { user_id role } } tenantMembers { status tenant { name } } }`;
      const ann = await read(q, users.ann.token);
      expect(ann.tenants).toHaveLength(1);
      const acme = ann.tenants[0];
      expect(acme.name).toBe('Acme');
      expect(acme.workflows.map((w: { name: string }) => w.name)).toEqual(['Acme billing', 'Acme onboarding']);
      expect(acme.workflows[1].executionsAggregate).toEqual({ count: 2 });
      // the archived workflow's execution is hidden with it (the execution policy chains to workflows)
      expect(acme.executionsAggregate).toEqual({ count: 3 });
      // fellow members are not visible: tenant_members shows each user their own rows only
      expect(acme.members).toEqual([{ user_id: users.ann.id, role: 'OWNER' }]);
      expect(ann.tenantMembers).toEqual([{ status: 'active', tenant: { name: 'Acme' } }]);
    });

    it('lets no relation filter probe rows outside the tenant', async () => {
      // cy is a member of Acme, but ann cannot see cy's membership row, so the filter cannot match
      const members = await read('query($u: UUID!) { tenants(where: { members: { some: { user_id: { eq: $u } } } }) { name } }', users.ann.token, { u: users.cy.id });
      expect(members).toEqual({ tenants: [] });
      const viaAdmin = await s.gql('/projects/flows/graphql', 'query($u: UUID!) { tenants(where: { members: { some: { user_id: { eq: $u } } } }) { name } }', { u: users.cy.id }, admin);
      expect(names(viaAdmin.body.data!.tenants)).toEqual(['Acme', 'Globex']);
      const probes = [
        ['{ workflowExecutions(where: { workflow: { name: { eq: "Globex payroll" } } }) { id } }', 'workflowExecutions'],
        ['{ workflows(where: { tenant: { name: { eq: "Globex" } } }) { id } }', 'workflows'],
        ['{ workflows(where: { or: [{ archived: { eq: true } }, { tenant: { name: { like: "%" } } }] }) { name } }', 'workflows'],
        ['{ tenants(where: { workflows: { some: { name: { like: "Globex%" } } } }) { id } }', 'tenants'],
        ['{ tenants(where: { executions: { some: { duration_ms: { gt: 500 } } } }) { id } }', 'tenants'],
        ['{ workflowsAggregate(where: { executions: { some: { tenant_id: { neq: "' + ACME + '" } } } }) { count } }', 'workflowsAggregate'],
      ] as const;
      const expected: Record<string, unknown> = {
        workflowExecutions: [],
        workflows: [],
        tenants: [],
        workflowsAggregate: { count: 0 },
      };
      for (const [q, field] of probes) {
        const d = await read(q, users.ann.token);
        if (q.includes('archived')) expect(names(d.workflows), q).toEqual(['Acme billing', 'Acme onboarding']);
        else expect(d[field], q).toEqual(expected[field]);
      }
    });

    it('shows anonymous callers nothing, and not the tables they were not granted', async () => {
      expect(await read('{ workflows { name } workflowsConnection { totalCount } }')).toEqual({ workflows: [], workflowsConnection: { totalCount: 0 } });
      const r = await post('{ tenants { name } }');
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(leaksInternals(r.text)).toBe(false);
    });
  });

  describe('writes', () => {
    it('inserts into the caller’s tenant only, returning only the caller’s row', async () => {
      const ins = 'mutation($t: UUID!, $n: String!) { insertWorkflow(input: { tenant_id: $t, name: $n }) { name tenant { name } } }';
      const ok = await post(ins, users.ann.token, { t: ACME, n: 'Acme payouts' });
      expect(ok.body).toEqual({ data: { insertWorkflow: { name: 'Acme payouts', tenant: { name: 'Acme' } } } });
      forbidden(await post(ins, users.ann.token, { t: GLOBEX, n: 'planted' }));
      forbidden(await post(ins, users.dee.token, { t: GLOBEX, n: 'planted' }));
      // deny beats allow: an archived workflow may not be written even into one's own tenant
      forbidden(await post('mutation($t: UUID!) { insertWorkflow(input: { tenant_id: $t, name: "planted", archived: true }) { id } }', users.ann.token, { t: ACME }));
      // a batch with one foreign row is refused whole
      forbidden(await post('mutation($a: UUID!, $g: UUID!) { insertWorkflows(inputs: [{ tenant_id: $a, name: "planted" }, { tenant_id: $g, name: "planted" }]) { affectedRows } }', users.ann.token, { a: ACME, g: GLOBEX }));
      expect(await countRows('workflows', sql`name = 'planted'`)).toBe(0);
    });

    it('refuses nested inserts that reach another tenant, and keeps nothing of them', async () => {
      const before = { workflows: await countRows('workflows'), executions: await countRows('workflow_executions') };
      const attempts: Array<[string, Record<string, unknown>]> = [
        // a foreign child under an own parent
        ['mutation($a: UUID!, $g: UUID!) { insertWorkflow(input: { tenant_id: $a, name: "nest", executions: { data: [{ tenant_id: $a, status: "ok" }, { tenant_id: $g, status: "ok" }] } }) { id } }', { a: ACME, g: GLOBEX }],
        // an own child under a foreign parent
        ['mutation($a: UUID!, $g: UUID!) { insertWorkflowExecution(input: { tenant_id: $a, status: "ok", workflow: { data: { tenant_id: $g, name: "nest" } } }) { id } }', { a: ACME, g: GLOBEX }],
        // a child attached to a foreign tenant's existing workflow
        ['mutation($a: UUID!, $w: UUID!) { insertWorkflowExecution(input: { tenant_id: $a, workflow_id: $w, status: "ok" }) { id } }', { a: ACME, w: WF.globexPayroll }],
        // a child in a foreign tenant under the caller's own workflow (tenant mismatch)
        ['mutation($g: UUID!, $w: UUID!) { insertWorkflowExecution(input: { tenant_id: $g, workflow_id: $w, status: "ok" }) { id } }', { g: GLOBEX, w: WF.acmeBilling }],
      ];
      // tenants are not insertable by members, so no insert input nests into them
      const intoTenant = await post('mutation { insertWorkflow(input: { name: "nest", tenant: { data: { name: "Planted Inc" } } }) { id } }', users.ann.token);
      expect(intoTenant.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(intoTenant.body.errors?.[0]?.message).toMatch(/tenant/);
      for (const [q, v] of attempts) forbidden(await post(q, users.ann.token, v));
      expect({ workflows: await countRows('workflows'), executions: await countRows('workflow_executions') }).toEqual(before);
      // the same shape inside the caller's own tenant works
      const ok = await post('mutation($a: UUID!) { insertWorkflow(input: { tenant_id: $a, name: "Acme nested", executions: { data: [{ tenant_id: $a, status: "queued" }] } }) { name executions { status } } }', users.ann.token, { a: ACME });
      expect(ok.body).toEqual({ data: { insertWorkflow: { name: 'Acme nested', executions: [{ status: 'queued' }] } } });
    });

    it('updates and deletes only visible rows, and cannot move a row to another tenant', async () => {
      const upd = await post('mutation { updateWorkflowExecutions(where: {}, set: { status: "retried" }) { affectedRows returning { tenant_id } } }', users.bob.token);
      expect(upd.body.errors).toBeUndefined();
      expect(upd.body.data!.updateWorkflowExecutions.affectedRows).toBe(3);
      expect(new Set(upd.body.data!.updateWorkflowExecutions.returning.map((r: { tenant_id: string }) => r.tenant_id))).toEqual(new Set([GLOBEX]));
      expect(await countRows('workflow_executions', sql`status = 'retried' AND tenant_id <> ${GLOBEX}`)).toBe(0);
      // by id, a foreign row is simply not found
      const foreign = await post('mutation($id: UUID!) { updateWorkflow(id: $id, set: { name: "pwned" }) { name } }', users.bob.token, { id: WF.acmeBilling });
      expect(foreign.body).toEqual({ data: { updateWorkflow: null } });
      // moving an own row into a tenant the caller is not in breaks the policy's check
      forbidden(await post('mutation($id: UUID!, $t: UUID!) { updateWorkflow(id: $id, set: { tenant_id: $t }) { name } }', users.bob.token, { id: WF.globexAudit, t: ACME }));
      // archiving breaks the deny policy
      forbidden(await post('mutation($id: UUID!) { updateWorkflow(id: $id, set: { archived: true }) { name } }', users.bob.token, { id: WF.globexAudit }));
      expect(await countRows('workflows', sql`name = 'pwned' OR (id = ${WF.globexAudit} AND (tenant_id <> ${GLOBEX} OR archived))`)).toBe(0);
      // deletes: members may not delete workflows (owners only); an owner deletes in their tenant only
      const member = await post('mutation { deleteWorkflows(where: {}) { affectedRows } }', users.cy.token);
      expect(member.body.data?.deleteWorkflows).toEqual({ affectedRows: 0 });
      const del = await post('mutation { deleteWorkflowExecutions(where: { status: { eq: "retried" } }) { affectedRows } }', users.ann.token);
      expect(del.body.data?.deleteWorkflowExecutions).toEqual({ affectedRows: 0 });
      expect(await countRows('workflow_executions', sql`status = 'retried'`)).toBe(3);
      expect(await countRows('workflows')).toBe(7);
    });

    it('refuses an upsert that would take over a foreign row', async () => {
      const r = await post(
        'mutation($id: UUID!, $a: UUID!) { insertWorkflows(inputs: [{ id: $id, tenant_id: $a, name: "taken" }], onConflict: { conflictColumns: [id], updateColumns: [name, tenant_id] }) { affectedRows } }',
        users.ann.token,
        { id: WF.globexPayroll, a: ACME },
      );
      forbidden(r);
      const [row] = await s.app.db.query<{ name: string; tenant_id: string }>(sql`SELECT name, tenant_id FROM flows.workflows WHERE id = ${WF.globexPayroll}`);
      expect(row).toEqual({ name: 'Globex payroll', tenant_id: GLOBEX });
    });
  });

  describe('membership changes', () => {
    it('takes access away from a suspended member at once, with the same token', async () => {
      const q = '{ workflows { name } workflowExecutionsAggregate { count } tenantMembers { status tenant { name } } }';
      const before = await read(q, users.dee.token);
      expect(before.workflows.length).toBeGreaterThan(0);
      await asAdmin(`mutation { updateTenantMembers(where: { user_id: { eq: "${users.dee.id}" } }, set: { status: "suspended" }) { affectedRows } }`);
      const after = await read(q, users.dee.token);
      // dee still sees her own membership row, but the tenant it names is no longer hers
      expect(after).toEqual({ workflows: [], workflowExecutionsAggregate: { count: 0 }, tenantMembers: [{ status: 'suspended', tenant: null }] });
      forbidden(await post('mutation($t: UUID!) { insertWorkflow(input: { tenant_id: $t, name: "after suspension" }) { id } }', users.dee.token, { t: ACME }));
      // and gets it back at once when reactivated
      await asAdmin(`mutation { updateTenantMembers(where: { user_id: { eq: "${users.dee.id}" } }, set: { status: "active" }) { affectedRows } }`);
      expect((await read(q, users.dee.token)).workflows).toEqual(before.workflows);
    });

    it('gives a user added to a second tenant its rows on the next request', async () => {
      const q = '{ tenants { name } }';
      expect(names((await read(q, users.ann.token)).tenants)).toEqual(['Acme']);
      await s.app.db.query(sql`INSERT INTO flows.tenant_members (tenant_id, user_id, status) VALUES (${GLOBEX}, ${users.ann.id}, 'invited')`);
      expect(names((await read(q, users.ann.token)).tenants)).toEqual(['Acme']);
      await s.app.db.query(sql`UPDATE flows.tenant_members SET status = 'active' WHERE tenant_id = ${GLOBEX} AND user_id = ${users.ann.id}`);
      expect(names((await read(q, users.ann.token)).tenants)).toEqual(['Acme', 'Globex']);
    });
  });
});
