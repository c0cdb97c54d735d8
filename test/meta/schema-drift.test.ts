/**
 * The meta schema exists three times: prisma/schema.prisma (what the Prisma client is generated
 * from), prisma/migrations/*.sql (what migrate() actually creates, hand-written) and the
 * generated client in src/meta/generated. This file proves the three agree, on both engines:
 *
 * 1. the generated client was generated from the current schema.prisma (a schema edit without
 *    `npm run generate` fails here);
 * 2. the migrated database has every table, column, type, nullability and enum the schema
 *    declares, and no column the schema lacks;
 * 3. the client really works against the migrated database (create + read back).
 *
 * The runtime data model inside the generated client has no nullability, list or native-type
 * information, so the test parses schema.prisma itself with the small parser below.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { sql } from '../../src/lib/sql.js';
import { $Enums } from '../../src/meta/generated/client.js';
import { createMetaClient, type MetaClient } from '../../src/meta/meta-client.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/engines.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// ---------------------------------------------------------------------------------------------
// A line-based reader for the subset of the Prisma schema language schema.prisma uses.

interface PrismaField {
  name: string;
  /** String, Int, …, an enum name or a model name */
  type: string;
  kind: 'scalar' | 'enum' | 'object';
  optional: boolean;
  list: boolean;
  /** column name: @map("…") or the field name */
  column: string;
  mapped: boolean;
  /** native type from @db.X, e.g. "Uuid" or "Timestamptz(3)" */
  nativeType: string | undefined;
}

interface PrismaModel {
  name: string;
  table: string;
  schema: string | undefined;
  fields: PrismaField[];
}

interface PrismaEnum {
  name: string;
  schema: string | undefined;
  values: string[];
}

const SCALARS = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes']);

function parsePrismaSchema(text: string): { models: PrismaModel[]; enums: PrismaEnum[] } {
  const models: PrismaModel[] = [];
  const enums: PrismaEnum[] = [];
  let block: { kind: string; name: string; lines: string[] } | undefined;

  for (const raw of text.split('\n')) {
    // drop comments (`//` and `///`); a `//` inside a string literal would need a real lexer,
    // which schema.prisma does not need (no attribute value contains one)
    const line = raw.replace(/(^|\s)\/\/.*$/, '').trim();
    if (line === '') continue;
    if (!block) {
      const open = /^(\w+)\s+(\w+)\s*\{$/.exec(line);
      if (open) block = { kind: open[1]!, name: open[2]!, lines: [] };
      continue;
    }
    if (line === '}') {
      if (block.kind === 'model') models.push(parseModel(block.name, block.lines));
      if (block.kind === 'enum') enums.push(parseEnum(block.name, block.lines));
      block = undefined;
      continue;
    }
    block.lines.push(line);
  }

  // a field's kind depends on what its type names, known only once every block is read
  const enumNames = new Set(enums.map((e) => e.name));
  for (const model of models) {
    for (const field of model.fields) {
      field.kind = SCALARS.has(field.type) ? 'scalar' : enumNames.has(field.type) ? 'enum' : 'object';
    }
  }
  return { models, enums };
}

const blockAttr = (lines: string[], attr: string): string | undefined =>
  lines.map((l) => new RegExp(`^@@${attr}\\("([^"]+)"\\)`).exec(l)?.[1]).find((v) => v !== undefined);

function parseModel(name: string, lines: string[]): PrismaModel {
  const fields: PrismaField[] = [];
  for (const line of lines) {
    if (line.startsWith('@@')) continue;
    const m = /^(\w+)\s+(\w+)(\[\]|\?)?\s*(.*)$/.exec(line);
    if (!m) throw new Error(`schema.prisma: cannot read field line in model ${name}: ${line}`);
    const [, fieldName = '', type = '', modifier, attrs = ''] = m;
    const map = /@map\("([^"]+)"\)/.exec(attrs)?.[1];
    fields.push({
      name: fieldName,
      type,
      kind: 'scalar',
      optional: modifier === '?',
      list: modifier === '[]',
      column: map ?? fieldName,
      mapped: map !== undefined,
      nativeType: /@db\.(\w+(?:\([^)]*\))?)/.exec(attrs)?.[1],
    });
  }
  return { name, table: blockAttr(lines, 'map') ?? name, schema: blockAttr(lines, 'schema'), fields };
}

function parseEnum(name: string, lines: string[]): PrismaEnum {
  return {
    name,
    schema: blockAttr(lines, 'schema'),
    values: lines.filter((l) => !l.startsWith('@@')).map((l) => /^(\w+)/.exec(l)![1]!),
  };
}

// ---------------------------------------------------------------------------------------------
// What the generated client was generated from.

interface RuntimeField {
  name: string;
  kind: string;
  type: string;
  dbName?: string;
}
interface RuntimeModel {
  dbName: string | null;
  schema: string | null;
  fields: RuntimeField[];
}

/**
 * The generated client keeps its data model as a JSON string literal in internal/class.ts
 * (`config.runtimeDataModel = JSON.parse("…")`) and does not export it; read it from the source.
 */
function readRuntimeDataModel(): Record<string, RuntimeModel> {
  const source = readFileSync(path.join(ROOT, 'src/meta/generated/internal/class.ts'), 'utf8');
  const literal = /config\.runtimeDataModel = JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(source)?.[1];
  if (!literal) throw new Error('runtimeDataModel not found in src/meta/generated/internal/class.ts');
  // the literal is itself JSON-encoded: decode the string, then the data model
  return (JSON.parse(JSON.parse(literal) as string) as { models: Record<string, RuntimeModel> }).models;
}

// ---------------------------------------------------------------------------------------------
// The Postgres column type each Prisma field must have, written the way describeColumn() below
// renders information_schema, e.g. `uuid`, `text[]`, `timestamptz(3)`, `koyalite."PolicyEffect"`.

const PLAIN_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  Json: 'jsonb',
};

function expectedColumnType(model: PrismaModel, field: PrismaField): string {
  const where = `${model.name}.${field.name}`;
  if (field.kind === 'enum') {
    if (field.list) throw new Error(`${where}: enum lists are not mapped by this test yet`);
    return `${model.schema}."${field.type}"`;
  }
  if (field.list) {
    if (field.type === 'String' && field.nativeType === undefined) return 'text[]';
    throw new Error(`${where}: list of ${field.type} is not mapped by this test yet`);
  }
  if (field.type === 'String' && field.nativeType === 'Uuid') return 'uuid';
  if (field.type === 'DateTime') {
    const precision = /^Timestamptz\((\d+)\)$/.exec(field.nativeType ?? '')?.[1];
    // a bare DateTime would be timestamp(3) WITHOUT time zone; the meta store never wants that
    if (!precision) throw new Error(`${where}: DateTime fields must be @db.Timestamptz(n)`);
    return `timestamptz(${precision})`;
  }
  const plain = PLAIN_TYPES[field.type];
  if (plain === undefined || field.nativeType !== undefined) {
    throw new Error(`${where}: ${field.type} @db.${field.nativeType} is not mapped by this test yet`);
  }
  return plain;
}

interface ColumnInfo {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_schema: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  datetime_precision: number | null;
}

function describeColumn(c: ColumnInfo): string {
  let type = c.data_type;
  if (c.data_type === 'ARRAY') type = `${c.udt_name.replace(/^_/, '')}[]`;
  else if (c.data_type === 'USER-DEFINED') type = `${c.udt_schema}."${c.udt_name}"`;
  else if (c.data_type === 'timestamp with time zone') type = `timestamptz(${c.datetime_precision})`;
  return c.is_nullable === 'YES' ? type : `${type} NOT NULL`;
}

const columnFields = (model: PrismaModel) => model.fields.filter((f) => f.kind !== 'object');

// ---------------------------------------------------------------------------------------------

const schema = parsePrismaSchema(readFileSync(path.join(ROOT, 'prisma/schema.prisma'), 'utf8'));

describe('schema.prisma and the generated client', () => {
  it('the parser sees the whole schema (guards the parser itself)', () => {
    expect(schema.models.length).toBeGreaterThanOrEqual(17);
    const user = schema.models.find((m) => m.name === 'User')!;
    expect(user.fields.find((f) => f.name === 'projectId')).toMatchObject({
      kind: 'scalar',
      optional: true,
      column: 'project_id',
      nativeType: 'Uuid',
    });
    expect(user.fields.find((f) => f.name === 'files')).toMatchObject({ kind: 'object', list: true });
    expect(schema.models.find((m) => m.name === 'Column')!.fields.find((f) => f.name === 'enumValues')).toMatchObject({
      list: true,
      column: 'enum_values',
    });
  });

  it('puts every model and enum in the koyalite schema', () => {
    expect(schema.models.filter((m) => m.schema !== 'koyalite').map((m) => m.name)).toEqual([]);
    expect(schema.enums.filter((e) => e.schema !== 'koyalite').map((e) => e.name)).toEqual([]);
  });

  it('was generated from the current schema.prisma (run `npm run generate` if this fails)', () => {
    const fromSchema = Object.fromEntries(
      schema.models.map((m) => [
        m.name,
        {
          dbName: m.table === m.name ? null : m.table,
          schema: m.schema ?? null,
          fields: m.fields.map((f) => ({ name: f.name, kind: f.kind, type: f.type, dbName: f.mapped ? f.column : null })),
        },
      ]),
    );
    const fromClient = Object.fromEntries(
      Object.entries(readRuntimeDataModel()).map(([name, m]) => [
        name,
        {
          dbName: m.dbName,
          schema: m.schema,
          fields: m.fields.map((f) => ({ name: f.name, kind: f.kind, type: f.type, dbName: f.dbName ?? null })),
        },
      ]),
    );
    expect(fromClient).toEqual(fromSchema);

    const enumsFromSchema = Object.fromEntries(schema.enums.map((e) => [e.name, e.values]));
    const enumsFromClient = Object.fromEntries(Object.entries($Enums).map(([name, e]) => [name, Object.values(e)]));
    expect(enumsFromClient).toEqual(enumsFromSchema);
  });
});

describe.each(ENGINES)('migrated database matches schema.prisma on %s', (engine) => {
  let tdb: TestDatabase;
  let db: Database;
  let columns: ColumnInfo[];

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    db = await tdb.open();
    await migrate(db);
    columns = await db.query<ColumnInfo>(sql`
      SELECT table_name, column_name, data_type, udt_schema, udt_name, is_nullable, datetime_precision
      FROM information_schema.columns
      WHERE table_schema = 'koyalite'
      ORDER BY table_name, ordinal_position`);
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('has a table for every model, and no tables beyond them but the migration bookkeeping', async () => {
    const rows = await db.query<{ table_name: string }>(sql`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'koyalite' AND table_type = 'BASE TABLE'`);
    const expected = [...schema.models.map((m) => m.table), 'schema_migrations'];
    expect(rows.map((r) => r.table_name).sort()).toEqual(expected.sort());
  });

  it('has exactly the columns of every model, with matching types and nullability', () => {
    // one map per side, keyed table.column, so a mismatch shows up as a readable diff and
    // missing or extra columns show up as missing or extra keys
    const expected: Record<string, string> = {};
    for (const model of schema.models) {
      for (const field of columnFields(model)) {
        const type = expectedColumnType(model, field);
        expected[`${model.table}.${field.column}`] = field.optional ? type : `${type} NOT NULL`;
      }
    }
    const modelTables = new Set(schema.models.map((m) => m.table));
    const actual = Object.fromEntries(
      columns.filter((c) => modelTables.has(c.table_name)).map((c) => [`${c.table_name}.${c.column_name}`, describeColumn(c)]),
    );
    expect(actual).toEqual(expected);
  });

  it('has every enum with the same values in the same order', async () => {
    const rows = await db.query<{ name: string; value: string }>(sql`
      SELECT t.typname AS name, e.enumlabel AS value
      FROM pg_type t
      JOIN pg_namespace n ON n.oid = t.typnamespace
      JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = 'koyalite'
      ORDER BY t.typname, e.enumsortorder`);
    const actual: Record<string, string[]> = {};
    for (const r of rows) (actual[r.name] ??= []).push(r.value);
    expect(actual).toEqual(Object.fromEntries(schema.enums.map((e) => [e.name, e.values])));
  });

  describe('the Prisma client against the migrated database', () => {
    let meta: MetaClient;
    beforeAll(() => {
      meta = createMetaClient(db);
    });

    it('round-trips rows with nullable, JSON, list and BigInt fields', async () => {
      const project = await meta.project.create({
        data: { name: 'Shop', slug: 'shop', schemaName: 'p_shop', settings: { maxPageSize: 50, tags: ['a'] } },
      });
      expect(await meta.project.findUnique({ where: { id: project.id } })).toMatchObject({
        slug: 'shop',
        ownerId: null,
        settings: { maxPageSize: 50, tags: ['a'] },
        metadataVersion: 1,
      });
      expect(project.createdAt).toBeInstanceOf(Date);

      const table = await meta.table.create({ data: { projectId: project.id, name: 'orders' } });
      expect(table).toMatchObject({ primaryKeyType: 'UUID', singularName: null, timestamps: true });

      const status = await meta.column.create({
        data: { tableId: table.id, name: 'status', type: 'enum', position: 1, enumValues: ['open', 'paid', 'shipped'] },
      });
      const note = await meta.column.create({ data: { tableId: table.id, name: 'note', type: 'text', position: 2 } });
      expect(await meta.column.findUnique({ where: { id: status.id } })).toMatchObject({
        enumValues: ['open', 'paid', 'shipped'],
        defaultValue: null,
        isNullable: true,
      });
      // the column default (empty array) applies when the client sends nothing
      expect((await meta.column.findUnique({ where: { id: note.id } }))?.enumValues).toEqual([]);

      const endpoint = await meta.webhookEndpoint.create({
        data: {
          projectId: project.id,
          eventTypes: ['orders.insert', 'orders.update'],
          targetUrl: 'https://example.test/hook',
          secret: 's3cret',
        },
      });
      expect(await meta.webhookEndpoint.findUnique({ where: { id: endpoint.id } })).toMatchObject({
        eventTypes: ['orders.insert', 'orders.update'],
        maxAttempts: 8,
        enabled: true,
      });

      // bigint beyond 2^53 must survive exactly on both drivers
      const size = 2n ** 60n + 1n;
      const file = await meta.file.create({
        data: { projectId: project.id, path: 'a/b.bin', mimeType: 'application/octet-stream', size, checksum: 'x', storageKey: 'k' },
      });
      expect((await meta.file.findUnique({ where: { id: file.id } }))?.size).toBe(size);
    });

    it('$disconnect leaves the shared pool / PGlite instance open for db.close()', async () => {
      // the adapter wraps the Database's own pool / PGlite instance, which db.close() ends later
      await meta.$disconnect();
      expect(await db.query<{ n: number }>(sql`SELECT 1 AS n`)).toEqual([{ n: 1 }]);
    });
  });
});
