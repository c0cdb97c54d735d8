import { describe, expect, it } from 'vitest';
import { render, sql } from '../lib/sql.js';
import { buildModel } from '../model/build-model.js';
import { compilePolicy, denyCondition } from './compile.js';
import { PolicyError } from './policy-error.js';
import { saasModel, snapshot, table } from './test-model.js';

const model = saasModel();
const compile = (text: string, tableName = 'workflows') => {
  const out = render(compilePolicy(model, tableName, text).sql);
  // DDL: never a bind parameter
  expect(out.values).toEqual([]);
  return out.text;
};

function compileError(text: string, tableName = 'workflows'): PolicyError {
  try {
    compilePolicy(model, tableName, text);
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error(`expected a PolicyError for ${JSON.stringify(text)}`);
}

const SPEC_EXAMPLE = 'exists(tenant_members where tenant_members.tenant_id = tenant_id and tenant_members.user_id = auth.uid())';
const UID_AS_UUID = 'koyalite.try_uuid(koyalite.auth_uid())';

describe('compilePolicy: SQL', () => {
  const cases: [policy: string, expected: string, table?: string][] = [
    [
      SPEC_EXAMPLE,
      `EXISTS (SELECT 1 FROM "proj_saas"."tenant_members" AS "_e1" WHERE ("_e1"."tenant_id" = "workflows"."tenant_id" AND "_e1"."user_id" = ${UID_AS_UUID}))`,
    ],
    [
      "exists(tenant_members where tenant_members.tenant_id = tenant_id and tenant_members.user_id = auth.uid() and tenant_members.status = 'active')",
      `EXISTS (SELECT 1 FROM "proj_saas"."tenant_members" AS "_e1" WHERE ("_e1"."tenant_id" = "workflows"."tenant_id" AND "_e1"."user_id" = ${UID_AS_UUID} AND "_e1"."status" = 'active'))`,
    ],
    // literals
    ['true', 'TRUE'],
    ['false', 'FALSE'],
    ['published', '"published"'],
    ['published = true', '"published" = TRUE'],
    ["title = 'x'", `"title" = 'x'`],
    ["title = 'it''s'", `"title" = 'it''s'`],
    ["title = 'zoë 東京 🚀'", `"title" = 'zoë 東京 🚀'`],
    ["title = 'a\\b'", `"title" = 'a\\b'`],
    ["title = 'line\nbreak'", `"title" = 'line\nbreak'`],
    ['priority = 42', '"priority" = 42'],
    ['priority = -7', '"priority" = -7'],
    ['priority = 007', '"priority" = 7'],
    ['budget > 10.50', '"budget" > 10.5'],
    ['budget > -0.25', '"budget" > -0.25'],
    ['budget > 0.0', '"budget" > 0'],
    ['views < 9007199254740991', '"views" < 9007199254740991'],
    ['views < 9007199254740993', `"views" < '9007199254740993'::numeric`],
    ['budget = 123456789.123456789', `"budget" = '123456789.123456789'::numeric`],
    ['budget = -00012345678901234567.8900', `"budget" = '-12345678901234567.89'::numeric`],
    // operators
    ['priority <> 1 and priority != 2', '("priority" <> 1 AND "priority" <> 2)'],
    ['priority < 1 or priority <= 2 or priority > 3 or priority >= 4', '("priority" < 1 OR "priority" <= 2 OR "priority" > 3 OR "priority" >= 4)'],
    ['not published', 'NOT "published"'],
    ['not priority = 1', 'NOT ("priority" = 1)'],
    ['not (published or priority = 1)', 'NOT ("published" OR "priority" = 1)'],
    ['not not published', 'NOT (NOT "published")'],
    ["status in ('draft', 'live')", `"status" IN ('draft', 'live')`],
    ['priority not in (1, 2)', '"priority" NOT IN (1, 2)'],
    ['owner_id is null', '"owner_id" IS NULL'],
    ['tags is not null', '"tags" IS NOT NULL'],
    ["title like 'A%'", `"title" LIKE 'A%'`],
    ["title not like '%''%'", `"title" NOT LIKE '%''%'`],
    ['(priority = 1) = (views = 2)', '("priority" = 1) = ("views" = 2)'],
    ['(published and priority = 1) = false', '("published" AND "priority" = 1) = FALSE'],
    ['exists(tenants where true) = true', 'EXISTS (SELECT 1 FROM "proj_saas"."tenants" AS "_e1" WHERE TRUE) = TRUE'],
    // precedence is made explicit
    ['published or priority = 1 and views = 2', '("published" OR ("priority" = 1 AND "views" = 2))'],
    ['(published or priority = 1) and views = 2', '(("published" OR "priority" = 1) AND "views" = 2)'],
    ['not priority = 1 and published', '(NOT ("priority" = 1) AND "published")'],
    // session functions: text; cast only where compared with uuid values
    ['owner_id = auth.uid()', `"owner_id" = ${UID_AS_UUID}`],
    ['auth.uid() = owner_id', `${UID_AS_UUID} = "owner_id"`],
    ['owner_sub = auth.uid()', '"owner_sub" = koyalite.auth_uid()'],
    ["auth.role() = 'editor'", `koyalite.auth_role() = 'editor'`],
    ["auth.claim('tenant') = title", `koyalite.auth_claim('tenant') = "title"`],
    ["auth.claim('it''s') = 'x'", `koyalite.auth_claim('it''s') = 'x'`],
    ["tenant_id = auth.claim('tenant_id')", `"tenant_id" = koyalite.try_uuid(koyalite.auth_claim('tenant_id'))`],
    ['auth.uid() in (owner_id, tenant_id)', `${UID_AS_UUID} IN ("owner_id", "tenant_id")`],
    ["owner_id in (auth.uid(), '3f2504e0-4f89-11d3-9a0c-0305e82c3301')", `"owner_id" IN (${UID_AS_UUID}, '3f2504e0-4f89-11d3-9a0c-0305e82c3301')`],
    ['auth.uid() is null', 'koyalite.auth_uid() IS NULL'],
    ["auth.claim('email') like '%@acme.com'", `koyalite.auth_claim('email') LIKE '%@acme.com'`],
    // dates
    ["due >= '2024-02-29' and starts_at < '2024-06-01T12:30:00Z'", `("due" >= '2024-02-29' AND "starts_at" < '2024-06-01T12:30:00Z')`],
    // exists: inner columns through the alias; the policy table's columns qualified by its name inside
    ['exists(workflows where workflows.tenant_id = tenant_id and workflows.owner_id = auth.uid())', `EXISTS (SELECT 1 FROM "proj_saas"."workflows" AS "_e1" WHERE ("_e1"."tenant_id" = "workflows"."tenant_id" AND "_e1"."owner_id" = ${UID_AS_UUID}))`],
    [
      'exists(workflow_executions where workflow_executions.workflow_id = id and exists(tenant_members where tenant_members.tenant_id = workflow_executions.tenant_id and tenant_members.user_id = auth.uid())) or exists(tenants where tenants.id = tenant_id)',
      `(EXISTS (SELECT 1 FROM "proj_saas"."workflow_executions" AS "_e1" WHERE ("_e1"."workflow_id" = "workflows"."id" AND EXISTS (SELECT 1 FROM "proj_saas"."tenant_members" AS "_e2" WHERE ("_e2"."tenant_id" = "_e1"."tenant_id" AND "_e2"."user_id" = ${UID_AS_UUID})))) OR EXISTS (SELECT 1 FROM "proj_saas"."tenants" AS "_e3" WHERE "_e3"."id" = "workflows"."tenant_id"))`,
    ],
    [
      'exists(tenants where tenants.id = tenant_id and exists(tenants where tenants.name = title))',
      'EXISTS (SELECT 1 FROM "proj_saas"."tenants" AS "_e1" WHERE ("_e1"."id" = "workflows"."tenant_id" AND EXISTS (SELECT 1 FROM "proj_saas"."tenants" AS "_e2" WHERE "_e2"."name" = "workflows"."title")))',
    ],
    ['not exists(tenant_members where tenant_members.user_id = auth.uid())', `NOT EXISTS (SELECT 1 FROM "proj_saas"."tenant_members" AS "_e1" WHERE "_e1"."user_id" = ${UID_AS_UUID})`, 'tenants'],
    ['value > 0 and id > 10', '("value" > 0 AND "id" > 10)', 'counters'],
  ];

  it.each(cases)('%s', (policy, expected, tableName) => {
    expect(compile(policy, tableName)).toBe(expected);
  });

  it('keeps identifiers as written (case-sensitive names)', () => {
    const m = buildModel(snapshot([table('things', [['Published', 'boolean'], ['Priority', 'integer']])]));
    const text = render(compilePolicy(m, 'things', 'NOT Published OR Priority IS NULL').sql).text;
    expect(text).toBe('(NOT "Published" OR "Priority" IS NULL)');
  });

  it('never gives an exists alias the name of the policy table', () => {
    const m = buildModel(snapshot([table('_e1', [['owner_id', 'uuid']], 'UUID', { singularName: 'eOne', pluralName: 'eOnes' }), table('members', [['user_id', 'uuid']])]));
    const text = render(compilePolicy(m, '_e1', 'exists(members where members.user_id = owner_id)').sql).text;
    expect(text).toBe('EXISTS (SELECT 1 FROM "proj_saas"."members" AS "_e2" WHERE "_e2"."user_id" = "_e1"."owner_id")');
  });

  it('returns the AST and what the policy reads', () => {
    const compiled = compilePolicy(model, 'workflows', SPEC_EXAMPLE);
    expect(compiled.ast.kind).toBe('exists');
    expect(compiled.tables).toEqual(['tenant_members']);
    expect(compiled.columns).toEqual([
      { table: 'tenant_members', column: 'tenant_id' },
      { table: 'workflows', column: 'tenant_id' },
      { table: 'tenant_members', column: 'user_id' },
    ]);
  });
});

describe('compilePolicy: injection attempts', () => {
  // text stays one quoted literal, quotes doubled: it can never end the literal
  const literalized: [policy: string, expected: string][] = [
    ["title = '''; drop table x; --'", `"title" = '''; drop table x; --'`],
    ["title = 'x'' or ''1''=''1'", `"title" = 'x'' or ''1''=''1'`],
    ["title = 'a'';DELETE FROM proj_saas.workflows;--'", `"title" = 'a'';DELETE FROM proj_saas.workflows;--'`],
    ["title = '/* */ -- ; $$ $1 \\'' || pg_sleep(10) --'", `"title" = '/* */ -- ; $$ $1 \\'' || pg_sleep(10) --'`],
    ["title like '%'';--'", `"title" LIKE '%'';--'`],
    ["auth.claim(''') OR 1=1 --') = 'x'", `koyalite.auth_claim(''') OR 1=1 --') = 'x'`],
    ["auth.role() in ('admin''--', ''';')", `koyalite.auth_role() IN ('admin''--', ''';')`],
  ];
  it.each(literalized)('%s', (policy, expected) => {
    expect(compile(policy)).toBe(expected);
  });

  const refused: [policy: string, message: RegExp, line: number, column: number][] = [
    ["'; drop table x; --", /unterminated text literal/, 1, 1],
    ['tenant_id = 1; delete', /";" is not allowed/, 1, 14],
    ["tenant_id = auth.uid(); drop table proj_saas.workflows", /";" is not allowed/, 1, 23],
    ["title = 'x'; --", /";" is not allowed/, 1, 12],
    ["title = 'x' -- and false", /comments \(--\) are not allowed/, 1, 13],
    ["title = 'x' /* or true */", /comments \(\/\* \*\/\) are not allowed/, 1, 13],
    ["title = 'x' or 1=1 --", /comments/, 1, 20],
    ["title = 'x'' or true", /unterminated text literal/, 1, 9],
    ['title = "x"', /double quotes are not used/, 1, 9],
    ['"workflows"."tenant_id" = auth.uid()', /double quotes are not used/, 1, 1],
    ["title = E'\\x27'", /unterminated text literal|expected and, or or the end/, 1, 10],
    ['title = $$x$$', /"\$" is not allowed/, 1, 9],
    ['title = $1', /"\$" is not allowed/, 1, 9],
    ["title = 'a' || 'b'", /"\|" is not an operator/, 1, 13],
    ['title::uuid = auth.uid()', /casts \(::\) are not part of the policy language/, 1, 6],
    ['(select 1) = 1', /subqueries are not part of the policy language/, 1, 2],
    ['tenant_id in (select tenant_id from tenant_members)', /subqueries are not part of the policy language/, 1, 15],
    ['exists(select 1 from tenant_members)', /subqueries are not part of the policy language/, 1, 8],
    ['pg_sleep(1)', /unknown function pg_sleep\(\)/, 1, 1],
    ['now() > starts_at', /unknown function now\(\)/, 1, 1],
    ["current_setting('request.jwt.claims') = 'x'", /unknown function current_setting\(\)/, 1, 1],
    ['proj_other.secrets.x = 1', /write a column as name or table\.name/, 1, 1],
    ['exists(pg_authid where true)', /unknown table "pg_authid"/, 1, 8],
    ['exists(koyalite where true)', /unknown table "koyalite"/, 1, 8],
    ['tenant_id = tenant_id union all select 1', /expected and, or or the end of the policy, found "union"/, 1, 23],
    // 66 comparisons are 198 nodes: the 67th passes the cap at its "=" (column 18 * 66 + 7)
    [`${'title = title and '.repeat(67)}true`, /a policy has at most 200 parts/, 1, 18 * 66 + 7],
  ];
  it.each(refused)('refuses %j', (policy, message, line, column) => {
    const e = compileError(policy);
    expect(e.reason).toMatch(message);
    expect(e.position).toMatchObject({ line, column });
    expect(e.message).toMatch(/\(line \d+, column \d+\)$/);
  });
});

describe('denyCondition', () => {
  it('passes rows unless the condition is true (NULL does not deny)', () => {
    const deny = denyCondition(compilePolicy(model, 'workflows', 'owner_id = auth.uid()').sql);
    expect(render(deny)).toEqual({ text: `NOT COALESCE("owner_id" = ${UID_AS_UUID}, FALSE)`, values: [] });
    expect(render(denyCondition(sql`TRUE`)).text).toBe('NOT COALESCE(TRUE, FALSE)');
  });
});
