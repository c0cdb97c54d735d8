import { describe, expect, it } from 'vitest';
import type { Call } from './ast.js';
import { checkPolicy } from './check.js';
import { parsePolicy } from './parser.js';
import { PolicyError } from './policy-error.js';
import { saasModel } from './test-model.js';

const model = saasModel();
const check = (text: string, table = 'workflows') => checkPolicy(model, table, parsePolicy(text));

function checkError(text: string, table = 'workflows'): PolicyError {
  try {
    check(text, table);
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error(`expected a PolicyError for ${JSON.stringify(text)}`);
}

const SPEC_EXAMPLE = 'exists(tenant_members where tenant_members.tenant_id = tenant_id and tenant_members.user_id = auth.uid())';

describe('checkPolicy: accepted', () => {
  const cases: [text: string, table?: string][] = [
    [SPEC_EXAMPLE],
    [`${SPEC_EXAMPLE.slice(0, -1)} and tenant_members.status = 'active')`],
    ['true'],
    ['false'],
    ['published'],
    ['not published and published = true'],
    ['owner_id = auth.uid()'],
    ['auth.uid() = owner_id'],
    ['owner_sub = auth.uid()'],
    ["owner_id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301'"],
    ["owner_id = '3F2504E0-4F89-11D3-9A0C-0305E82C3301'"],
    ["owner_id in ('3f2504e0-4f89-11d3-9a0c-0305e82c3301', auth.uid(), auth.claim('delegate'))"],
    ['auth.uid() in (owner_id, tenant_id)'],
    ["auth.role() = 'editor'"],
    ["auth.role() in ('editor', 'admin') or auth.claim('plan') <> 'free'"],
    ["auth.claim('https://example.com/tenant') = title"],
    ['auth.uid() = auth.claim(\'sub\')'],
    ["title = 'x' and code = 'y' and title = code"],
    ["title like 'A%' and code not like '%\\_x' and auth.claim('email') like '%@acme.com'"],
    ["title like 'ends with backslash \\\\'"],
    ["status = 'live'"],
    ["status in ('draft', 'live') and status <> 'archived'"],
    ["status > 'draft'"],
    ['status = title'],
    ['priority = 1 and views > 10 and budget >= 2.5 and score < -1 and priority = views and budget <> score'],
    ['views = 12345678901234567890'],
    ["due = '2024-02-29' and due < starts_at and starts_at >= '2024-01-01' and starts_at < '2024-06-01T12:30:00Z'"],
    ["starts_at > '2024-06-01 12:30' and starts_at < '2024-06-01T12:30:00.123456+02:00' and starts_at < '2024-06-01T12:30-0530'"],
    ["due >= '2024-01-01'"],
    ['tags is null and meta is not null and embedding is null and levels is not null'],
    ['auth.uid() is not null'],
    ["title < 'm'"],
    ['(priority = 1) = true'],
    ['1 = 1'],
    ["'a' = 'a'"],
    ['exists(tenants where tenants.id = tenant_id)'],
    ['exists(tenants where true)'],
    ['exists(counters where counters.value > 3)'],
    // nested exists: qualified names resolve to the innermost exists over that table
    ['exists(workflow_executions where workflow_executions.workflow_id = id and exists(tenant_members where tenant_members.tenant_id = workflow_executions.tenant_id and tenant_members.user_id = workflow_executions.started_by))'],
    // exists over the policy's own table: its columns qualified are the inner row
    ['exists(workflows where workflows.tenant_id = tenant_id and workflows.owner_id = auth.uid())'],
    ['exists(tenant_members where tenant_members.user_id = auth.uid() and tenant_members.tenant_id = tenant_id)', 'tenant_members'],
    ['not exists(tenant_members where tenant_members.user_id = auth.uid())', 'tenants'],
    ['value > 0 and id > 10', 'counters'],
  ];
  it.each(cases)('%s', (text, table) => {
    expect(() => check(text, table)).not.toThrow();
  });
});

describe('checkPolicy: refused', () => {
  const cases: [text: string, message: RegExp, line: number, column: number, table?: string][] = [
    // names
    ['tenantid = auth.uid()', /unknown column "tenantid" on table workflows; did you mean tenant_id\?/, 1, 1],
    ['Title = \'x\'', /unknown column "Title" on table workflows; did you mean title\?/, 1, 1],
    ['nothing_like_it = 1', /unknown column "nothing_like_it" on table workflows$/, 1, 1],
    ['exists(tenant_member where tenant_member.user_id = auth.uid())', /unknown table "tenant_member"; did you mean tenant_members\?/, 1, 8],
    ['exists(nope where true)', /unknown table "nope"$/, 1, 8],
    ['exists(tenant_members where tenant_members.userid = auth.uid())', /unknown column "userid" on table tenant_members; did you mean user_id\?/, 1, 29],
    ['exists(tenant_members where user_id = auth.uid())', /unknown column "user_id" on table workflows \(unqualified names are columns of the policy's table workflows\); write tenant_members\.user_id/, 1, 29],
    ['tenant_members.user_id = auth.uid()', /the columns of table tenant_members can only be used inside exists\(tenant_members where …\)/, 1, 1],
    ['workflows.tenant_id = auth.uid()', /write the columns of the policy's table workflows unqualified: tenant_id instead of workflows\.tenant_id/, 1, 1],
    ['exists(tenants where tenants.id = workflows.tenant_id)', /write the columns of the policy's table workflows unqualified/, 1, 35],
    ['ghosts.id = 1', /unknown table "ghosts"/, 1, 1],
    ['auth.uid = owner_id', /auth\.uid is a function: write auth\.uid\(\)/, 1, 1],
    ['owner_id = auth.claim', /auth\.claim is a function: write auth\.claim\('name'\)/, 1, 12],
    ['auth.email = 1', /unknown function auth\.email/, 1, 1],
    ['exists(tenants where tenants.id = tenant_id and exists(tenant_members where tenant_members.tenant_id = tenant_members.id and tenants.name = workflows.title))', /write the columns of the policy's table workflows unqualified/, 1, 141],
    // encrypted columns, anywhere
    ["secret = 'x'", /column secret is encrypted; policies cannot use encrypted columns/, 1, 1],
    ['secret is null', /column secret is encrypted/, 1, 1],
    ["exists(workflows where workflows.secret like 'a%')", /column workflows\.secret is encrypted/, 1, 24],
    // conditions
    ['title', /column title \(text\) is not a condition: compare it, e\.g\. title = …/, 1, 1],
    ["auth.role()", /auth\.role\(\) is text, not a condition: compare it, e\.g\. auth\.role\(\) = 'editor'/, 1, 1],
    ['auth.uid()', /auth\.uid\(\) is text, not a condition: compare it, e\.g\. owner_id = auth\.uid\(\)/, 1, 1],
    ["'yes'", /text 'yes' is not a condition/, 1, 1],
    ['1', /number 1 is not a condition/, 1, 1],
    ['null', /null is not a condition/, 1, 1],
    ['published and priority', /column priority \(integer\) is not a condition/, 1, 15],
    ['not title', /column title \(text\) is not a condition/, 1, 5],
    ['exists(tenants where tenants.name)', /column tenants\.name \(text\) is not a condition/, 1, 22],
    // null comparisons
    ['owner_id = null', /null cannot be compared \(the result is never true\): write x is null or x is not null/, 1, 12],
    ['owner_id <> null', /null cannot be compared/, 1, 13],
    ["title in ('a', null)", /null cannot be compared/, 1, 16],
    ['null is null', /null is null is always true/, 1, 1],
    // type mismatches
    ["priority = '5'", /cannot compare column priority \(integer\) with text '5': write numbers without quotes/, 1, 12],
    ['title = 5', /cannot compare column title \(text\) with number 5: write text in single quotes \('5'\)/, 1, 9],
    ['5 = title', /cannot compare column title \(text\) with number 5/, 1, 1],
    ["published = 'true'", /cannot compare column published \(boolean\) with text 'true': write true or false without quotes/, 1, 13],
    ['published = 1', /cannot compare column published \(boolean\) with number 1/, 1, 13],
    ['owner_id = owner_sub', /cannot compare column owner_id \(uuid\) with column owner_sub \(text\): uuid columns compare with uuid columns, auth\.uid\(\) or a uuid literal/, 1, 12],
    ['owner_id = priority', /cannot compare column owner_id \(uuid\) with column priority \(integer\)/, 1, 12],
    ['priority = auth.uid()', /cannot compare column priority \(integer\) with auth\.uid\(\) \(text\): auth\.uid\(\) is text; it compares with text values only/, 1, 12],
    ["views = auth.claim('views')", /auth\.claim\('views'\) is text; it compares with text values only/, 1, 9],
    ["due = auth.claim('day')", /cannot compare column due \(date\) with auth\.claim\('day'\) \(text\): auth\.claim\('day'\) is text; it compares with text and uuid values only/, 1, 7],
    ['published = auth.role()', /cannot compare column published \(boolean\)/, 1, 13],
    ['auth.uid() = 1', /cannot compare number 1 with auth\.uid\(\) \(text\)/, 1, 1],
    ["priority in (1, 2, 'three')", /cannot compare column priority \(integer\) with text 'three'/, 1, 20],
    ['title in (owner_id)', /cannot compare column title \(text\) with column owner_id \(uuid\)/, 1, 11],
    ['starts_at = 1', /cannot compare column starts_at \(timestamptz\) with number 1/, 1, 13],
    ['(priority = 1) = 1', /cannot compare a condition \(true\/false\) with number 1/, 1, 18],
    ['exists(tenants where true) = 1', /cannot compare a condition \(true\/false\) with number 1/, 1, 30],
    // literals adapt to the other side
    ["owner_id = 'not-a-uuid'", /text 'not-a-uuid' is not a uuid, so it can never equal column owner_id \(uuid\)/, 1, 12],
    ["owner_id in ('3f2504e0-4f89-11d3-9a0c-0305e82c3301', '42')", /text '42' is not a uuid/, 1, 54],
    ["auth.uid() in (owner_id, 'x')", /text 'x' is not a uuid/, 1, 26],
    ["due = '2023-02-29'", /text '2023-02-29' is not a date: write it as 'YYYY-MM-DD'/, 1, 7],
    ["due = 'today'", /is not a date/, 1, 7],
    ["starts_at < 'now'", /text 'now' is not a timestamp: write it as 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SSZ'/, 1, 13],
    ["starts_at < '2024-01-01T25:00:00Z'", /is not a timestamp/, 1, 13],
    ["starts_at < '2024-01-01T10:00:00+16:00'", /is not a timestamp/, 1, 13],
    ["starts_at < '0000-01-01'", /is not a timestamp/, 1, 13],
    ["due < '2024-01-01T10:00'", /is not a date/, 1, 7],
    ["status = 'actve'", /'actve' is not a value of column status \(enum\): use one of 'draft', 'live', 'archived'/, 1, 10],
    ["status not in ('draft', 'gone')", /'gone' is not a value of column status \(enum\)/, 1, 25],
    ["exists(tenant_members where tenant_members.status = 'Active')", /'Active' is not a value of column tenant_members\.status \(enum\): use one of 'active', 'suspended'/, 1, 53],
    // ordering
    ['owner_id < auth.uid()', /< needs numbers, text, dates or timestamps; column owner_id \(uuid\) is a uuid: use = or <>/, 1, 10],
    ['published >= false', />= needs numbers, text, dates or timestamps; column published \(boolean\) is true\/false/, 1, 11],
    // types that do not compare
    ["tags = 'a'", /column tags \(text\[\]\) cannot be compared in a policy; only is null \/ is not null apply to it/, 1, 1],
    ['meta = meta', /column meta \(jsonb\) cannot be compared/, 1, 1],
    ['levels in (1)', /column levels \(integer\[\]\) cannot be compared/, 1, 1],
    ["embedding = '[1,2,3]'", /column embedding \(vector\(3\)\) cannot be compared/, 1, 1],
    // like
    ["priority like '1%'", /like needs text on the left; column priority \(integer\) is not text/, 1, 10],
    ["status like 'd%'", /like needs text on the left; column status \(enum\) is not text \(for an enum use = or in\)/, 1, 8],
    ["owner_id like 'a%'", /like needs text on the left; column owner_id \(uuid\) is not text/, 1, 10],
    ["title like 'abc\\'", /a like pattern cannot end with the escape character \\/, 1, 12],
    ["title like 'abc\\\\\\'", /a like pattern cannot end with the escape character/, 1, 12],
    // positions past line breaks
    ["title = 'a'\n  and\n    prioritee = 1", /unknown column "prioritee" on table workflows; did you mean priority\?/, 3, 5],
  ];
  it.each(cases)('%j', (text, message, line, column, table) => {
    const e = checkError(text, table);
    expect(e.reason).toMatch(message);
    expect(e.position).toMatchObject({ line, column });
    expect(e.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a policy on an unknown table', () => {
    const e = checkError('true', 'nope');
    expect(e.reason).toBe('table nope does not exist in project saas');
    expect(e.position).toEqual({ offset: 0, line: 1, column: 1 });
  });
});

describe('checkPolicy: result', () => {
  it('casts auth calls compared with uuid values, and only those', () => {
    const checked = check("owner_id = auth.uid() and owner_sub = auth.uid() and auth.claim('x') in (tenant_id, owner_id) and auth.role() = 'r'");
    const casts = [...checked.uuidCasts].map((c: Call) => `${c.fn}@${c.pos.column}`);
    expect(casts).toEqual(['auth.uid@12', 'auth.claim@54']);
  });

  it('lists the columns and exists tables the policy reads, once each, in order', () => {
    const checked = check(`${SPEC_EXAMPLE} or owner_id = auth.uid() or exists(tenant_members where tenant_members.user_id = owner_id)`);
    expect(checked.table).toBe('workflows');
    expect(checked.columns).toEqual([
      { table: 'tenant_members', column: 'tenant_id' },
      { table: 'workflows', column: 'tenant_id' },
      { table: 'tenant_members', column: 'user_id' },
      { table: 'workflows', column: 'owner_id' },
    ]);
    expect(checked.tables).toEqual(['tenant_members']);
  });

  it('returns the AST it was given', () => {
    const ast = parsePolicy('true');
    expect(checkPolicy(model, 'workflows', ast).ast).toBe(ast);
  });
});
