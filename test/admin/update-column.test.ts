/**
 * updateColumn through /admin/graphql on both engines: renames, type changes that convert the
 * data exactly or fail (changing nothing: physical type, metadata, version), enum values,
 * nullability, uniqueness, defaults, refusals for managed and relationship columns, audit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ident, join, param, sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type GqlResponse, type TestServer } from '../support/server.js';

const code = (r: GqlResponse) => r.body.errors?.[0]?.extensions?.code;
const message = (r: GqlResponse) => r.body.errors?.[0]?.message ?? '';

const UPDATE = 'mutation($input: UpdateColumnInput!) { updateColumn(input: $input) { name type isNullable isUnique defaultValue enumValues } }';

describe.each(ENGINES)('updateColumn on %s', (engine) => {
  let s: TestServer;
  let token: string;
  const admin = (q: string, v?: Record<string, unknown>, tk = token) => s.admin(q, v, tk);
  const update = (input: Record<string, unknown>, tk = token) => admin(UPDATE, { input: { projectSlug: 'shop', ...input } }, tk);
  const version = async () => Number((await s.app.db.query<{ v: number }>(sql`SELECT metadata_version AS v FROM koyalite.projects WHERE slug = 'shop'`))[0]?.v);

  /** format_type, nullability and default of a physical column (undefined when it does not exist) */
  const physical = async (table: string, column: string) =>
    (await s.app.db.query<{ type: string; notnull: boolean; def: string | null }>(sql`
      SELECT format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def
      FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'shop' AND r.relname = ${table} AND a.attname = ${column} AND a.attnum > 0 AND NOT a.attisdropped`))[0];
  const constraints = async (table: string) =>
    (await s.app.db.query<{ name: string }>(sql`
      SELECT c.conname AS name FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
      WHERE n.nspname = 'shop' AND r.relname = ${table} ORDER BY 1`)).map((r) => r.name);
  const metaColumn = async (table: string, column: string) => {
    const r = await admin('query($t: String!) { table(projectSlug: "shop", name: $t) { columns { name type isNullable isUnique defaultValue enumValues } } }', { t: table });
    return (r.body.data?.table.columns as Array<Record<string, unknown>>).find((c) => c.name === column);
  };
  /** k → the column's text, for every row */
  const values = async (table: string, column: string, expr = sql`${ident(column)}::text`) =>
    Object.fromEntries((await s.app.db.query<{ k: string; v: string | null }>(sql`SELECT k, ${expr} AS v FROM ${ident('shop', table)} ORDER BY k`)).map((r) => [r.k, r.v]));
  const insert = (table: string, row: Record<string, unknown>) => {
    const keys = Object.keys(row);
    return s.app.db.query(sql`INSERT INTO ${ident('shop', table)} (${join(keys.map((k) => ident(k)))}) VALUES (${join(keys.map((k) => param(row[k])))})`);
  };
  /** a table with a key column k (text) plus the given columns (GraphQL ColumnInput list), and rows */
  const setup = async (table: string, columns: string, rows: Array<Record<string, unknown>> = []) => {
    const r = await admin(`mutation { createTable(input: { projectSlug: "shop", name: "${table}", columns: [{ name: "k", type: "text" }, ${columns}] }) { name } }`);
    expect(r.body.errors).toBeUndefined();
    for (const row of rows) await insert(table, row);
  };

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    await admin('mutation { createProject(input: { name: "Shop", slug: "shop" }) { slug } }');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('renames a column, keeping its data, its unique key and its column grants', async () => {
    await setup('people', '{ name: "nick", type: "text", isUnique: true }', [{ k: 'a', nick: 'ann' }]);
    const role = await admin('mutation { createRole(input: { name: "nick_reader", permissions: [{ action: SELECT, resource: "shop:people.nick" }] }) { name } }');
    expect(role.body.errors).toBeUndefined();
    await s.app.db.query(sql`UPDATE koyalite.tables SET owner_column = 'nick' WHERE name = 'people'`);
    const v0 = await version();
    const r = await update({ table: 'people', name: 'nick', newName: 'handle' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.updateColumn).toMatchObject({ name: 'handle', type: 'text', isUnique: true });
    expect(await physical('people', 'nick')).toBeUndefined();
    expect(await physical('people', 'handle')).toMatchObject({ type: 'text' });
    expect(await values('people', 'handle')).toEqual({ a: 'ann' });
    expect(await constraints('people')).toContain('people_handle_key');
    await expect(insert('people', { k: 'b', handle: 'ann' })).rejects.toThrow();
    expect(await metaColumn('people', 'nick')).toBeUndefined();
    expect(await version()).toBe(v0 + 1);
    const perms = await admin('{ role(name: "nick_reader") { permissions { resource } } }');
    expect(perms.body.data?.role.permissions).toEqual([{ resource: 'shop:people.handle' }]);
    const owner = await s.app.db.query<{ c: string }>(sql`SELECT owner_column AS c FROM koyalite.tables WHERE name = 'people'`);
    expect(owner[0]?.c).toBe('handle');
  });

  it('refuses to retype the owner column, and to rename or retype a column a policy mentions', async () => {
    const owned = await update({ table: 'people', name: 'handle', type: 'varchar' });
    expect(message(owned)).toMatch(/people\.handle is the table's owner column/);
    await s.app.db.query(sql`UPDATE koyalite.tables SET owner_column = NULL WHERE name = 'people'`);
    await s.app.db.query(sql`INSERT INTO koyalite.policies (table_id, name, "check") SELECT id, 'has_handle', 'handle is not null' FROM koyalite.tables WHERE name = 'people'`);
    const v0 = await version();
    for (const input of [{ newName: 'alias' }, { type: 'varchar' }]) {
      const r = await update({ table: 'people', name: 'handle', ...input });
      expect(code(r)).toBe('BAD_USER_INPUT');
      expect(message(r)).toMatch(/people\.handle is mentioned by policy has_handle on table people/);
    }
    // other changes are fine
    expect((await update({ table: 'people', name: 'handle', isNullable: false })).body.errors).toBeUndefined();
    expect(await version()).toBe(v0 + 1);
    await s.app.db.query(sql`DELETE FROM koyalite.policies WHERE name = 'has_handle'`);
  });

  it.each([
    ['an existing column', 'k', 'CONFLICT', /already exists/],
    ['a managed column', 'created_at', 'BAD_USER_INPUT', /kept by KoyaLite/],
    ['a reserved word', 'select', 'BAD_USER_INPUT', /reserved word/],
    ['an uppercase name', 'Handle', 'BAD_USER_INPUT', /lowercase/],
    ['an injection attempt', 'x"; DROP TABLE shop.people; --', 'BAD_USER_INPUT', /lowercase/],
  ])('refuses a rename to %s', async (_what, newName, errorCode, msg) => {
    const v0 = await version();
    const r = await update({ table: 'people', name: 'handle', newName });
    expect(code(r)).toBe(errorCode);
    expect(message(r)).toMatch(msg);
    expect(await physical('people', 'handle')).toMatchObject({ type: 'text' });
    expect(await version()).toBe(v0);
  });

  it('widens types and keeps every value exactly', async () => {
    await setup(
      'wides',
      `{ name: "i", type: "integer" }, { name: "n", type: "integer" }, { name: "b", type: "bigint" }, { name: "f", type: "float" },
       { name: "d", type: "date" }, { name: "v", type: "varchar" }, { name: "e", type: "enum", enumValues: ["RED", "BLUE"] },
       { name: "j", type: "jsonb" }, { name: "tg", type: "text[]" }, { name: "ts", type: "timestamptz" }, { name: "num", type: "numeric" },
       { name: "vec", type: "vector(3)" }`,
      [
        { k: '1', i: 2147483647, n: -7, b: '9007199254740993', f: 0.1, d: '2024-02-29', v: 'héllo', e: 'RED', j: '{"a":[1,2]}', tg: '{x,"y z"}', ts: '2024-01-31T10:00:00.5Z', num: '12.50' },
        { k: '2' },
      ],
    );
    // vector(3) is pgvector's type where the extension exists, else real[] with a CHECK on the dimensions
    const pgvector = (await physical('wides', 'vec'))?.type === 'vector(3)';
    await s.app.db.query(sql`UPDATE shop.wides SET vec = ${pgvector ? '[1,2.5,-3]' : '{1,2.5,-3}'} WHERE k = '1'`);
    const changes: Array<[string, string, string]> = [
      ['i', 'bigint', 'bigint'],
      ['n', 'float', 'double precision'],
      ['b', 'numeric', 'numeric'],
      ['f', 'numeric', 'numeric'],
      ['d', 'timestamptz', 'timestamp with time zone'],
      ['v', 'text', 'text'],
      ['e', 'text', 'text'],
      ['j', 'text', 'text'],
      ['tg', 'text', 'text'],
      ['ts', 'text', 'text'],
      ['num', 'varchar', 'character varying'],
      ['vec', 'text', 'text'],
    ];
    for (const [column, type, physicalType] of changes) {
      const r = await update({ table: 'wides', name: column, type });
      expect(r.body.errors, `${column} → ${type}`).toBeUndefined();
      expect(r.body.data?.updateColumn).toMatchObject({ name: column, type, enumValues: [] });
      expect(await physical('wides', column)).toMatchObject({ type: physicalType });
    }
    const row = async (column: string, expr = sql`${ident(column)}::text`) => (await values('wides', column, expr))['1'];
    expect(await row('i')).toBe('2147483647');
    expect(await row('n')).toBe('-7');
    expect(await row('b')).toBe('9007199254740993');
    expect(await row('f')).toBe('0.1');
    expect(await row('d', sql`("d" AT TIME ZONE 'UTC')::text`)).toBe('2024-02-29 00:00:00');
    expect(await row('v')).toBe('héllo');
    expect(await row('e')).toBe('RED');
    expect(await row('j')).toBe('{"a": [1, 2]}');
    expect(await row('tg')).toBe('["x","y z"]');
    expect(await row('ts')).toBe('2024-01-31T10:00:00.5Z');
    expect(await row('num')).toBe('12.50');
    expect(await row('vec')).toBe('[1,2.5,-3]');
    expect((await values('wides', 'i'))['2']).toBeNull();
    // the enum's CHECK is gone with the enum
    expect(await constraints('wides')).not.toContain('wides_e_enum');
    expect(await constraints('wides')).not.toContain('wides_vec_dims');
    await insert('wides', { k: '3', e: 'GREEN' });
  });

  it('parses text into integers when every value is a whole number', async () => {
    await setup('counts', '{ name: "a", type: "text" }', [{ k: '1', a: '1' }, { k: '2', a: '-42' }, { k: '3', a: null }, { k: '4', a: '007' }]);
    const v0 = await version();
    const r = await update({ table: 'counts', name: 'a', type: 'integer' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.updateColumn).toMatchObject({ name: 'a', type: 'integer' });
    expect(await physical('counts', 'a')).toMatchObject({ type: 'integer' });
    expect(await metaColumn('counts', 'a')).toMatchObject({ type: 'integer' });
    expect(await values('counts', 'a')).toEqual({ 1: '1', 2: '-42', 3: null, 4: '7' });
    expect(await version()).toBe(v0 + 1);
  });

  it.each(['abc', '1.5', '0x1F', '1_000', ' 7', '99999999999', ''])('refuses text → integer when a value is %j, and changes nothing', async (bad) => {
    // table names are plural nouns (the singular names the row type)
    const table = `bad_${Buffer.from(bad).toString('hex') || 'empty'}s`;
    await setup(table, '{ name: "a", type: "text", defaultValue: "1" }', [{ k: '1', a: '5' }, { k: '2', a: bad }]);
    const v0 = await version();
    // a rename in the same change must not happen either
    const r = await update({ table, name: 'a', type: 'integer', newName: 'amount', isNullable: false });
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(message(r)).toMatch(new RegExp(`column ${table}\\.a from text to integer: existing values must all be whole numbers`));
    if (bad.trim().length >= 3) expect(message(r)).not.toContain(bad.trim());
    expect(leaksInternals(r.text)).toBe(false);
    expect(await physical(table, 'a')).toEqual({ type: 'text', notnull: false, def: "'1'::text" });
    expect(await physical(table, 'amount')).toBeUndefined();
    expect(await metaColumn(table, 'a')).toMatchObject({ type: 'text', isNullable: true, defaultValue: '1' });
    expect(await values(table, 'a')).toEqual({ 1: '5', 2: bad });
    expect(await version()).toBe(v0);
  });

  it('refuses numeric → integer when a value has a fraction (never rounds), and converts once none has', async () => {
    await setup('prices', '{ name: "p", type: "numeric" }', [{ k: '1', p: '2.00' }, { k: '2', p: '1.5' }]);
    const v0 = await version();
    const r = await update({ table: 'prices', name: 'p', type: 'integer' });
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(message(r)).toMatch(/prices\.p from numeric to integer: existing values must all be whole numbers.*never rounded/);
    expect(await physical('prices', 'p')).toMatchObject({ type: 'numeric' });
    expect(await values('prices', 'p')).toEqual({ 1: '2.00', 2: '1.5' });
    expect(await version()).toBe(v0);
    await s.app.db.query(sql`DELETE FROM shop.prices WHERE k = '2'`);
    const ok = await update({ table: 'prices', name: 'p', type: 'integer' });
    expect(ok.body.errors).toBeUndefined();
    expect(await values('prices', 'p')).toEqual({ 1: '2' });
  });

  it.each([
    ['float', 'integer', '2.5', /whole numbers/],
    ['float', 'bigint', 'NaN', /whole numbers/],
    ['bigint', 'integer', '3000000000', /range of integer/],
    ['bigint', 'float', '9007199254740993', /float holds exactly/],
    ['numeric', 'float', '12345678901234567891', /float holds exactly/],
    ['text', 'float', '0.30000000000000001', /float holds exactly/],
    ['text', 'boolean', 'yes', /exactly true or false/],
    ['text', 'uuid', 'not-a-uuid', /UUIDs/],
    ['text', 'date', '2021-02-30', /valid dates/],
    ['text', 'timestamptz', 'tomorrow', /ISO 8601/],
    ['timestamptz', 'date', '2024-01-01T10:00:00Z', /midnight UTC/],
  ])('refuses %s → %s when a value (%s) does not convert exactly', async (from, to, bad, msg) => {
    const table = `x_${from}_${to}s`;
    await setup(table, `{ name: "a", type: "${from}" }`, [{ k: '1', a: bad }]);
    const v0 = await version();
    const r = await update({ table, name: 'a', type: to });
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(message(r)).toMatch(msg);
    expect(await metaColumn(table, 'a')).toMatchObject({ type: from });
    expect(await version()).toBe(v0);
  });

  it.each([
    ['text', 'numeric', '1e3', '1000'],
    ['text', 'float', '0.1', '0.1'],
    ['text', 'boolean', 'true', 'true'],
    ['text', 'uuid', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['text', 'date', '2024-02-29', '2024-02-29'],
    ['numeric', 'float', '0.1', '0.1'],
    ['float', 'bigint', '3', '3'],
    ['bigint', 'integer', '2147483647', '2147483647'],
  ])('converts %s → %s when the value (%s) converts exactly', async (from, to, value, expected) => {
    const table = `ok_${from}_${to}s`;
    await setup(table, `{ name: "a", type: "${from}" }`, [{ k: '1', a: value }]);
    const r = await update({ table, name: 'a', type: to });
    expect(r.body.errors).toBeUndefined();
    expect(await values(table, 'a')).toEqual({ 1: expected });
  });

  it('converts text timestamps (UTC when no offset) and midnight timestamps to dates', async () => {
    await setup('events', '{ name: "at", type: "text" }, { name: "day", type: "timestamptz" }', [
      { k: '1', at: '2024-01-31T10:00:00+02:00', day: '2024-03-01T00:00:00Z' },
      { k: '2', at: '2024-01-31 10:00:00.123456', day: null },
    ]);
    expect((await update({ table: 'events', name: 'at', type: 'timestamptz' })).body.errors).toBeUndefined();
    expect(await values('events', 'at', sql`to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`)).toEqual({ 1: '2024-01-31 08:00:00.000000', 2: '2024-01-31 10:00:00.123456' });
    expect((await update({ table: 'events', name: 'day', type: 'date' })).body.errors).toBeUndefined();
    expect(await values('events', 'day')).toEqual({ 1: '2024-03-01', 2: null });
  });

  it.each([
    ['jsonb', 'integer', /jsonb column can only be converted to text or varchar/],
    ['text[]', 'integer[]', /converting a column to integer\[\] is not supported/],
    ['text', 'jsonb', /converting a column to jsonb is not supported/],
    ['vector(3)', 'vector(4)', /not supported/],
    ['boolean', 'integer', /no exact conversion from boolean to integer/],
    ['uuid', 'date', /no exact conversion/],
    ['integer', 'enum', /change it to text first/],
    ['text', 'money', /unknown type "money"/],
  ])('refuses %s → %s as unsupported', async (from, to, msg) => {
    const table = `u_${from.replace(/\W/g, '')}_${to.replace(/\W/g, '')}s`;
    await setup(table, `{ name: "a", type: "${from}" }`);
    const v0 = await version();
    const r = await update({ table, name: 'a', type: to, ...(to === 'enum' ? { enumValues: ['A'] } : {}) });
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(message(r)).toMatch(new RegExp(`${table}\\.a`));
    expect(message(r)).toMatch(msg);
    expect(await version()).toBe(v0);
  });

  it('changes enum values, and refuses to drop a value rows still hold', async () => {
    await setup('orders', '{ name: "status", type: "enum", enumValues: ["NEW", "PAID"], defaultValue: "NEW" }', [{ k: '1', status: 'PAID' }]);
    const added = await update({ table: 'orders', name: 'status', enumValues: ['NEW', 'PAID', 'SHIPPED'] });
    expect(added.body.data?.updateColumn).toMatchObject({ type: 'enum', enumValues: ['NEW', 'PAID', 'SHIPPED'], defaultValue: 'NEW' });
    await insert('orders', { k: '2', status: 'SHIPPED' });
    const v0 = await version();
    const removed = await update({ table: 'orders', name: 'status', enumValues: ['NEW', 'SHIPPED'] });
    expect(code(removed)).toBe('BAD_USER_INPUT');
    expect(message(removed)).toMatch(/enumValues of orders\.status: existing rows hold values outside enumValues \(NEW, SHIPPED\)/);
    expect(leaksInternals(removed.text)).toBe(false);
    expect(await metaColumn('orders', 'status')).toMatchObject({ enumValues: ['NEW', 'PAID', 'SHIPPED'] });
    expect(await version()).toBe(v0);
    // the old CHECK still holds
    await insert('orders', { k: '3', status: 'PAID' });
    await expect(insert('orders', { k: '4', status: 'NOPE' })).rejects.toThrow();
    // a default outside the new values is refused with a hint
    const badDefault = await update({ table: 'orders', name: 'status', enumValues: ['PAID', 'SHIPPED'] });
    expect(message(badDefault)).toMatch(/current default value of orders\.status does not fit.*dropDefault/);
    expect(await version()).toBe(v0);
  });

  it('turns text into an enum when every value is listed, and refuses otherwise', async () => {
    await setup('phases', '{ name: "p", type: "text" }, { name: "q", type: "varchar" }', [{ k: '1', p: 'DRAFT', q: 'LIVE' }, { k: '2', p: 'other', q: 'DRAFT' }]);
    const v0 = await version();
    const bad = await update({ table: 'phases', name: 'p', type: 'enum', enumValues: ['DRAFT', 'LIVE'] });
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(message(bad)).toMatch(/change column phases\.p to enum: existing rows hold values outside enumValues/);
    expect(await metaColumn('phases', 'p')).toMatchObject({ type: 'text', enumValues: [] });
    expect(await constraints('phases')).not.toContain('phases_p_enum');
    expect(await version()).toBe(v0);
    const ok = await update({ table: 'phases', name: 'q', type: 'enum', enumValues: ['DRAFT', 'LIVE'] });
    expect(ok.body.data?.updateColumn).toMatchObject({ type: 'enum', enumValues: ['DRAFT', 'LIVE'] });
    expect(await physical('phases', 'q')).toMatchObject({ type: 'text' });
    await expect(insert('phases', { k: '3', q: 'OTHER' })).rejects.toThrow();
    const missing = await update({ table: 'phases', name: 'p', type: 'enum' });
    expect(message(missing)).toMatch(/enumValues/);
  });

  it('changes nullability and uniqueness, refusing NULLs and duplicates', async () => {
    await setup('contacts', '{ name: "email", type: "text" }', [{ k: '1', email: 'a@x' }, { k: '2', email: null }, { k: '3', email: 'a@x' }]);
    const v0 = await version();
    const notNull = await update({ table: 'contacts', name: 'email', isNullable: false });
    expect(code(notNull)).toBe('BAD_USER_INPUT');
    expect(message(notNull)).toMatch(/non-nullable: existing rows hold NULL/);
    expect(await physical('contacts', 'email')).toMatchObject({ notnull: false });
    const unique = await update({ table: 'contacts', name: 'email', isUnique: true });
    expect(code(unique)).toBe('BAD_USER_INPUT');
    expect(message(unique)).toMatch(/unique: existing rows hold duplicate values/);
    expect(leaksInternals(unique.text)).toBe(false);
    expect(await constraints('contacts')).not.toContain('contacts_email_key');
    expect(await metaColumn('contacts', 'email')).toMatchObject({ isNullable: true, isUnique: false });
    expect(await version()).toBe(v0);

    await s.app.db.query(sql`UPDATE shop.contacts SET email = 'b@x' WHERE k = '2'`);
    await s.app.db.query(sql`UPDATE shop.contacts SET email = 'c@x' WHERE k = '3'`);
    const both = await update({ table: 'contacts', name: 'email', isNullable: false, isUnique: true });
    expect(both.body.data?.updateColumn).toMatchObject({ isNullable: false, isUnique: true });
    expect(await physical('contacts', 'email')).toMatchObject({ notnull: true });
    await expect(insert('contacts', { k: '4', email: 'a@x' })).rejects.toThrow();
    await expect(insert('contacts', { k: '4' })).rejects.toThrow();
    const loose = await update({ table: 'contacts', name: 'email', isNullable: true, isUnique: false });
    expect(loose.body.data?.updateColumn).toMatchObject({ isNullable: true, isUnique: false });
    await insert('contacts', { k: '4', email: 'a@x' });
    await insert('contacts', { k: '5' });
  });

  it('sets, keeps across a type change, and drops defaults', async () => {
    await setup('prefs', '{ name: "level", type: "integer", defaultValue: "1" }, { name: "ratio", type: "numeric", defaultValue: "0.5" }');
    expect((await update({ table: 'prefs', name: 'level', defaultValue: '5' })).body.data?.updateColumn).toMatchObject({ defaultValue: '5' });
    await insert('prefs', { k: '1' });
    expect(await values('prefs', 'level')).toEqual({ 1: '5' });
    expect((await update({ table: 'prefs', name: 'level', type: 'text' })).body.data?.updateColumn).toMatchObject({ type: 'text', defaultValue: '5' });
    expect(await physical('prefs', 'level')).toMatchObject({ type: 'text', def: "'5'::text" });
    const both = await update({ table: 'prefs', name: 'level', defaultValue: '6', dropDefault: true });
    expect(message(both)).toMatch(/not both/);
    const bad = await update({ table: 'prefs', name: 'ratio', defaultValue: 'abc' });
    expect(message(bad)).toMatch(/must be a number/);
    const stale = await update({ table: 'prefs', name: 'ratio', type: 'integer' });
    expect(message(stale)).toMatch(/current default value of prefs\.ratio does not fit.*must be an integer/);
    const dropped = await update({ table: 'prefs', name: 'level', dropDefault: true });
    expect(dropped.body.data?.updateColumn).toMatchObject({ defaultValue: null });
    expect(await physical('prefs', 'level')).toMatchObject({ def: null });
    // the row inserted above holds the old default 0.5, which no integer holds
    expect(message(await update({ table: 'prefs', name: 'ratio', type: 'integer', defaultValue: '2' }))).toMatch(/whole numbers/);
    await s.app.db.query(sql`UPDATE shop.prefs SET ratio = 2`);
    const converted = await update({ table: 'prefs', name: 'ratio', type: 'integer', defaultValue: '2' });
    expect(converted.body.data?.updateColumn).toMatchObject({ type: 'integer', defaultValue: '2' });
    expect(await physical('prefs', 'ratio')).toMatchObject({ type: 'integer', def: '2' });
  });

  it('refuses changes to managed columns', async () => {
    const v0 = await version();
    for (const [name, input] of [
      ['id', { type: 'text' }],
      ['created_at', { newName: 'made_at' }],
      ['updated_at', { isNullable: true }],
    ] as const) {
      const r = await update({ table: 'prefs', name, ...input });
      expect(code(r)).toBe('BAD_USER_INPUT');
      expect(message(r)).toMatch(new RegExp(`prefs\\.${name} is kept by KoyaLite`));
    }
    expect(await version()).toBe(v0);
  });

  it('refuses type changes and renames of foreign key and junction columns', async () => {
    await admin('mutation { createTable(input: { projectSlug: "shop", name: "authors" }) { name } }');
    await admin('mutation { createTable(input: { projectSlug: "shop", name: "books" }) { name } }');
    await admin('mutation { createTable(input: { projectSlug: "shop", name: "genres" }) { name } }');
    expect((await admin('mutation { createRelationship(input: { projectSlug: "shop", type: ONE_TO_MANY, fromTable: "authors", toTable: "books" }) { foreignKeyColumn } }')).body.data?.createRelationship).toEqual({ foreignKeyColumn: 'author_id' });
    expect((await admin('mutation { createRelationship(input: { projectSlug: "shop", type: MANY_TO_MANY, fromTable: "books", toTable: "genres" }) { junctionTable } }')).body.data?.createRelationship).toEqual({ junctionTable: 'books_genres' });
    const v0 = await version();
    const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
      ['books', 'author_id', { type: 'text' }, /books\.author_id is the foreign key of a ONE_TO_MANY relationship; its type/],
      ['books', 'author_id', { newName: 'writer_id' }, /books\.author_id is the foreign key of a ONE_TO_MANY relationship and cannot be renamed/],
      ['books_genres', 'book_id', { type: 'text' }, /books_genres\.book_id is a link column of a many-to-many junction table/],
      ['books_genres', 'genre_id', { newName: 'kind_id' }, /books_genres\.genre_id is a link column .* cannot be renamed/],
      ['books_genres', 'genre_id', { isNullable: true }, /must stay non-nullable/],
    ];
    for (const [table, name, input, msg] of cases) {
      const r = await update({ table, name, ...input });
      expect(code(r)).toBe('BAD_USER_INPUT');
      expect(message(r)).toMatch(msg);
    }
    expect(await version()).toBe(v0);
    expect(await physical('books', 'author_id')).toMatchObject({ type: 'uuid' });
    // the would-be model is checked too: a column may not take a relation field's name
    await admin('mutation { addColumn(input: { projectSlug: "shop", table: "books", name: "title", type: "text" }) { name } }');
    const v1 = await version();
    const clash = await update({ table: 'books', name: 'title', newName: 'author' });
    expect(code(clash)).toBe('BAD_USER_INPUT');
    expect(message(clash)).toMatch(/collides/);
    expect(await physical('books', 'title')).toMatchObject({ type: 'text' });
    expect(await version()).toBe(v1);
    // other changes to an FK column are fine
    const nn = await update({ table: 'books', name: 'author_id', isNullable: false });
    expect(nn.body.data?.updateColumn).toMatchObject({ name: 'author_id', type: 'uuid', isNullable: false });
  });

  it('records a column.update audit entry with the changed fields', async () => {
    await setup('audits', '{ name: "score", type: "text" }', [{ k: '1', score: '10' }]);
    const r = await update({ table: 'audits', name: 'score', newName: 'points', type: 'integer', isNullable: false });
    expect(r.body.errors).toBeUndefined();
    const logs = await admin('{ auditLogs(filter: { projectSlug: "shop", action: "column.update" }, limit: 1) { action targetType metadata } }');
    expect(logs.body.data?.auditLogs[0]).toEqual({
      action: 'column.update',
      targetType: 'Column',
      metadata: {
        table: 'audits',
        column: 'score',
        changed: ['name', 'type', 'isNullable'],
        changes: { name: { from: 'score', to: 'points' }, type: { from: 'text', to: 'integer' }, isNullable: { from: true, to: false } },
      },
    });
  });

  it('changes nothing (and bumps no version) when no field differs', async () => {
    const v0 = await version();
    const r = await update({ table: 'audits', name: 'points', type: 'integer', isNullable: false });
    expect(r.body.data?.updateColumn).toMatchObject({ name: 'points', type: 'integer', isNullable: false });
    expect(await version()).toBe(v0);
  });

  it('answers NOT_FOUND for a missing table or column, and FORBIDDEN without MANAGE on the project', async () => {
    expect(code(await update({ table: 'nope', name: 'a', type: 'text' }))).toBe('NOT_FOUND');
    expect(code(await update({ table: 'audits', name: 'nope', type: 'text' }))).toBe('NOT_FOUND');
    await admin('mutation { createRole(input: { name: "table_manager", permissions: [{ action: MANAGE, resource: "shop:audits" }] }) { name } }');
    await admin('mutation { createUser(input: { email: "tm@example.com", password: "tm-password-1", roleName: "table_manager" }) { id } }');
    const signIn = await s.admin('mutation { signIn(email: "tm@example.com", password: "tm-password-1") { token } }');
    const tmToken = signIn.body.data?.signIn.token as string;
    const v0 = await version();
    const r = await update({ table: 'audits', name: 'points', type: 'bigint' }, tmToken);
    expect(code(r)).toBe('FORBIDDEN');
    expect(await physical('audits', 'points')).toMatchObject({ type: 'integer' });
    expect(await version()).toBe(v0);
  });
});
