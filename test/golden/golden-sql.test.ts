/**
 * Golden files: what the compiler emits and what the API answers, frozen per case.
 *
 *   test/golden/sql/<feature>/<case>.graphql   # fixture: blog
 *                                              # role: admin
 *                                              # variables: {"first": 2}      (optional, JSON)
 *                                              # errors: expected             (optional)
 *                                              # any other comment line: prose about the case
 *                                              query { … }
 *   test/golden/sql/<feature>/<case>.sql       every statement the request ran, pretty-printed,
 *                                              each followed by its bind parameters as comments
 *   test/golden/sql/<feature>/<case>.json      the response body
 *   test/golden/sdl/<fixture>.<role>.graphql   the project schema as that role sees it
 *
 * Each case is posted to /projects/<fixture>/graphql on both engines; the statements are captured
 * by wrapping the live Database the resolvers use. SQL and responses must be identical on both
 * engines, and the regular path (GET, through yoga and graphql-js) must answer the same body
 * (same values, same key order; not yet byte for byte: the fast path splices Postgres's json
 * text, which has spaces around ':' and after ',').
 *
 * `UPDATE_GOLDEN=1 npx vitest run test/golden` writes the files from the PGlite run and then
 * checks them on PostgreSQL. Without it (and always in CI) a missing file fails, and so does an
 * orphaned .sql/.json without its .graphql.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { render, type Query } from '../../src/lib/sql.js';
import { createBlog } from '../fixtures/blog.js';
import { ENGINES } from '../support/engines.js';
import { formatJson, formatStatements } from '../support/golden-format.js';
import { isBackgroundStatement, startTestServer, type TestServer } from '../support/server.js';

const GOLDEN = path.dirname(fileURLToPath(import.meta.url));
const SQL_DIR = path.join(GOLDEN, 'sql');
const SDL_DIR = path.join(GOLDEN, 'sdl');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
if (UPDATE && process.env.CI) throw new Error('UPDATE_GOLDEN is refused in CI: golden files are written locally and reviewed');

/** Fixtures by the name used in `# fixture:`; the project slug is the fixture name. */
const FIXTURES: Record<string, (s: TestServer, token: string, slug: string) => Promise<void>> = {
  blog: createBlog,
};

/** Roles by the name used in `# role:`, as a token for the project endpoint. */
const ROLES: Record<string, (s: TestServer) => Promise<string>> = {
  admin: (s) => s.signInAdmin(),
};

/** SDL snapshots: test/golden/sdl/<fixture>.<role>.graphql */
const SDL_SNAPSHOTS: Array<{ fixture: string; role: string }> = [{ fixture: 'blog', role: 'admin' }];

interface GoldenCase {
  /** `<feature>/<case>` */
  name: string;
  /** path without extension */
  base: string;
  fixture: string;
  role: string;
  variables: Record<string, unknown> | undefined;
  errorsExpected: boolean;
  query: string;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

function parseCase(file: string): GoldenCase {
  const lines = readFileSync(file, 'utf8').split('\n');
  const rel = path.relative(SQL_DIR, file);
  // the header: the leading comment lines; `# key: value` for the keys below, anything else is prose
  const header: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length && lines[i]!.startsWith('#'); i++) {
    const m = /^#\s*(fixture|role|variables|errors):\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    if (header[m[1]!] !== undefined) throw new Error(`${rel}: "# ${m[1]}:" given twice`);
    header[m[1]!] = m[2]!.trim();
  }
  if (!header.fixture || !FIXTURES[header.fixture]) throw new Error(`${rel}: "# fixture:" must be one of ${Object.keys(FIXTURES).join(', ')}`);
  if (!header.role || !ROLES[header.role]) throw new Error(`${rel}: "# role:" must be one of ${Object.keys(ROLES).join(', ')}`);
  if (header.errors !== undefined && header.errors !== 'expected') throw new Error(`${rel}: "# errors:" can only be "expected"`);
  const query = lines.slice(i).join('\n').trim();
  if (!query) throw new Error(`${rel}: no operation after the header`);
  return {
    name: rel.replace(/\.graphql$/, ''),
    base: file.replace(/\.graphql$/, ''),
    fixture: header.fixture,
    role: header.role,
    variables: header.variables ? (JSON.parse(header.variables) as Record<string, unknown>) : undefined,
    errorsExpected: header.errors === 'expected',
    query,
  };
}

const files = walk(SQL_DIR).sort();
const CASES = files.filter((f) => f.endsWith('.graphql')).map(parseCase);

/** Compares `actual` with the golden file; with UPDATE_GOLDEN, the first engine writes it. */
function checkGolden(file: string, actual: string, writer: boolean): void {
  const rel = path.relative(GOLDEN, file);
  if (UPDATE && writer) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== actual) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, actual);
    }
    return;
  }
  if (!existsSync(file)) throw new Error(`missing golden file ${rel}: run UPDATE_GOLDEN=1 npx vitest run test/golden and review it`);
  expect(actual, rel).toBe(readFileSync(file, 'utf8'));
}

describe('golden file set', () => {
  it('has cases', () => {
    expect(CASES.length).toBeGreaterThan(0);
  });

  it('has no orphaned .sql or .json (each needs its .graphql)', () => {
    const orphans = files
      .filter((f) => f.endsWith('.sql') || f.endsWith('.json'))
      .filter((f) => !existsSync(f.replace(/\.(sql|json)$/, '.graphql')))
      .map((f) => path.relative(GOLDEN, f));
    const strays = files.filter((f) => !/\.(graphql|sql|json)$/.test(f)).map((f) => path.relative(GOLDEN, f));
    expect([...orphans, ...strays]).toEqual([]);
  });

  it('has no SDL snapshot that is not listed', () => {
    const known = new Set(SDL_SNAPSHOTS.map((x) => `${x.fixture}.${x.role}.graphql`));
    const extra = walk(SDL_DIR)
      .map((f) => path.relative(SDL_DIR, f))
      .filter((f) => !known.has(f));
    expect(extra).toEqual([]);
  });
});

describe.each(ENGINES)('golden files on %s', (engine) => {
  // the first engine writes golden files under UPDATE_GOLDEN; the others only compare
  const writer = engine === ENGINES[0];
  let s: TestServer;
  const tokens = new Map<string, string>();
  const built = new Set<string>();
  let captured: Query[] | undefined;

  beforeAll(async () => {
    s = await startTestServer(engine);
    const db = s.app.db as Database;
    const original = db.query.bind(db);
    db.query = ((statement) => {
      const rendered = render(statement);
      if (!isBackgroundStatement(rendered.text)) captured?.push(rendered);
      return original(statement);
    }) as Database['query'];
  });
  afterAll(async () => {
    await s?.close();
  });

  async function tokenOf(role: string): Promise<string> {
    let token = tokens.get(role);
    if (!token) {
      token = await ROLES[role]!(s);
      tokens.set(role, token);
    }
    return token;
  }

  /** Builds the fixture once per server (through the admin API, as the admin); the role's token. */
  async function setup(fixture: string, role: string): Promise<string> {
    if (!built.has(fixture)) {
      await FIXTURES[fixture]!(s, await tokenOf('admin'), fixture);
      built.add(fixture);
    }
    return tokenOf(role);
  }

  async function post(c: GoldenCase, token: string) {
    const res = await fetch(`${s.url}/projects/${c.fixture}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: c.query, variables: c.variables }),
    });
    return { status: res.status, text: await res.text() };
  }

  async function get(c: GoldenCase, token: string) {
    const url = new URL(`${s.url}/projects/${c.fixture}/graphql`);
    url.searchParams.set('query', c.query);
    if (c.variables) url.searchParams.set('variables', JSON.stringify(c.variables));
    const res = await fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
    return { status: res.status, text: await res.text() };
  }

  it.each(CASES)('$name', async (c) => {
    const token = await setup(c.fixture, c.role);
    captured = [];
    let response: { status: number; text: string };
    let statements: Query[];
    try {
      response = await post(c, token);
    } finally {
      statements = captured;
      captured = undefined;
    }
    const body = JSON.parse(response.text) as { data?: unknown; errors?: unknown[] };
    if (!c.errorsExpected) expect(body.errors, `${c.name}: unexpected errors`).toBeUndefined();
    else expect(body.errors, `${c.name}: errors expected`).toBeDefined();
    checkGolden(`${c.base}.sql`, formatStatements(statements), writer);
    checkGolden(`${c.base}.json`, formatJson(body), writer);
  });

  it.each(CASES)('$name: the regular path answers the same', async (c) => {
    const token = await setup(c.fixture, c.role);
    const fast = await post(c, token);
    const regular = await get(c, token);
    expect(regular.status).toBe(fast.status);
    // same values in the same key order
    expect(JSON.stringify(JSON.parse(regular.text))).toBe(JSON.stringify(JSON.parse(fast.text)));
  });

  it.each(SDL_SNAPSHOTS)('SDL of $fixture as $role', async ({ fixture, role }) => {
    const token = await setup(fixture, role);
    const r = await s.gql<IntrospectionQuery>(`/projects/${fixture}/graphql`, getIntrospectionQuery(), {}, token);
    expect(r.body.errors).toBeUndefined();
    const sdl = `${printSchema(buildClientSchema(r.body.data!))}\n`;
    checkGolden(path.join(SDL_DIR, `${fixture}.${role}.graphql`), sdl, writer);
  });
});
