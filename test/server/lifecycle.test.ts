/**
 * The server as a user runs it: `koyalite serve` in a child process, on both engines —
 * readiness, persistence across restarts, kill -9 without losing committed data, graceful
 * SIGTERM with a request in flight, the CLI, and configuration errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/engines.js';
import { run, serve, type Running } from '../support/process.js';

async function gql(url: string, query: string, token?: string) {
  const res = await fetch(`${url}/admin/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions: { code: string } }> };
}

async function signIn(url: string, email = 'admin@example.com', password = 'admin-password-1'): Promise<string> {
  const r = await gql(url, `mutation { signIn(email: "${email}", password: "${password}") { token } }`);
  if (!r.data?.signIn) throw new Error(JSON.stringify(r));
  return r.data.signIn.token;
}

async function projectSlugs(url: string): Promise<string[]> {
  const r = await gql(url, '{ projects { slug } }', await signIn(url));
  return r.data.projects.map((p: { slug: string }) => p.slug);
}

describe.each(ENGINES)('koyalite serve on %s', (engine) => {
  let dataDir: string;
  let tdb: TestDatabase | undefined;
  let env: Record<string, string>;
  const running: Running[] = [];
  const start = async () => {
    const r = await serve(env);
    running.push(r);
    return r;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'koyalite-life-'));
    env = { KOYALITE_DATA_DIR: dataDir, KOYALITE_ADMIN_EMAIL: 'admin@example.com', KOYALITE_ADMIN_PASSWORD: 'admin-password-1' };
    if (engine === 'postgres') {
      tdb = await createTestDatabase('postgres');
      env.DATABASE_URL = tdb.url!;
      env.KOYALITE_JWT_SECRET = 'lifecycle-secret-lifecycle-secret-lifecycle';
      env.KOYALITE_ENCRYPTION_KEY = 'b'.repeat(64);
    }
  });
  afterAll(async () => {
    for (const r of running) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await Promise.all(running.map((r) => r.exited));
    await tdb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves, keeps a project across a graceful restart, and exits 0 on SIGTERM', async () => {
    const a = await start();
    const health = await fetch(`${a.url}/healthz`);
    expect(health.status).toBe(200);
    const created = await gql(a.url, 'mutation { createProject(input: { name: "Shop", slug: "shop" }) { slug } }', await signIn(a.url));
    expect(created.data?.createProject).toEqual({ slug: 'shop' });
    a.child.kill('SIGTERM');
    expect(await a.exited).toEqual({ code: 0, signal: null });

    const b = await start();
    expect(await projectSlugs(b.url)).toEqual(['shop']);
    b.child.kill('SIGTERM');
    expect((await b.exited).code).toBe(0);
  });

  it('loses no committed data to kill -9', async () => {
    const a = await start();
    const token = await signIn(a.url);
    for (const slug of ['k1', 'k2', 'k3']) {
      const r = await gql(a.url, `mutation { createProject(input: { name: "${slug}", slug: "${slug}" }) { slug } }`, token);
      expect(r.errors).toBeUndefined();
    }
    a.child.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');

    const b = await start();
    expect((await projectSlugs(b.url)).sort()).toEqual(['k1', 'k2', 'k3', 'shop']);
    // and the database still takes writes
    const r = await gql(b.url, 'mutation { createProject(input: { name: "after", slug: "after" }) { slug } }', await signIn(b.url));
    expect(r.data?.createProject).toEqual({ slug: 'after' });
    b.child.kill('SIGTERM');
    expect((await b.exited).code).toBe(0);
  });

  it('finishes a request in flight before stopping on SIGTERM', async () => {
    const a = await start();
    const body = JSON.stringify({ query: 'mutation { signIn(email: "admin@example.com", password: "admin-password-1") { token } }' });
    const { port } = new URL(a.url);
    // send the headers with "Expect: 100-continue": the server's "100 Continue" proves it has the
    // request in hand; only then signal, and send the body once the server is shutting down
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: '/admin/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.on('continue', () => {
        a.child.kill('SIGTERM');
        const waitForShutdown = setInterval(() => {
          if (a.output().includes('shutting down')) {
            clearInterval(waitForShutdown);
            req.end(body);
          }
        }, 20);
      });
      req.flushHeaders();
    });
    const res = await response;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).data.signIn.token).toMatch(/^ey/);
    expect((await a.exited).code).toBe(0);
  });

  it('creates an admin with `koyalite user create --admin`', async () => {
    const cli = run(['user', 'create', '--email', 'ops@example.com', '--password', 'ops-password-1', '--admin'], env);
    const exit = await cli.exited;
    expect(cli.output()).toMatch(/created user ops@example.com \(admin\)/);
    expect(exit.code).toBe(0);
    const a = await start();
    const token = await signIn(a.url, 'ops@example.com', 'ops-password-1');
    const me = await gql(a.url, '{ me { role { name } } }', token);
    expect(me.data.me.role.name).toBe('admin');
    a.child.kill('SIGTERM');
    await a.exited;
  });
});

describe('configuration errors', () => {
  it('prints one line per bad value and exits 1', async () => {
    const r = run(['serve'], { PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', KOYALITE_ADMIN_EMAIL: 'a@b.co' });
    const exit = await r.exited;
    expect(exit.code).toBe(1);
    const out = r.output();
    expect(out).toMatch(/PORT must be an integer/);
    expect(out).toMatch(/DATABASE_URL must be a postgres/);
    expect(out).toMatch(/LOG_LEVEL must be one of/);
    expect(out).toMatch(/KOYALITE_ADMIN_EMAIL and KOYALITE_ADMIN_PASSWORD must be set together/);
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('refuses to open an embedded database another process holds', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'koyalite-lock-'));
    try {
      const a = await serve({ KOYALITE_DATA_DIR: dataDir });
      const b = run(['migrate'], { KOYALITE_DATA_DIR: dataDir });
      expect((await b.exited).code).toBe(1);
      expect(b.output()).toMatch(/in use by process/);
      a.child.kill('SIGTERM');
      expect((await a.exited).code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
