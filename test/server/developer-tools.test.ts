/**
 * Developer tools on a real server: `npm run codegen` writes a project's SDL and TypeScript
 * types from the running endpoint; `koyalite schema <slug>` prints the same SDL offline.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, serve, type Running } from '../support/process.js';

async function gql(url: string, query: string, token?: string) {
  const res = await fetch(`${url}/admin/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: unknown };
}

describe('developer tools', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'koyalite-devtools-'));
  const env = { KOYALITE_DATA_DIR: path.join(dir, 'data'), KOYALITE_ADMIN_EMAIL: 'admin@example.com', KOYALITE_ADMIN_PASSWORD: 'admin-password-1' };
  let server: Running;
  let token: string;

  beforeAll(async () => {
    server = await serve(env);
    token = (await gql(server.url, 'mutation { signIn(email: "admin@example.com", password: "admin-password-1") { token } }')).data.signIn.token;
    for (const q of [
      'mutation { createProject(input: { name: "Shop", slug: "shop" }) { slug } }',
      'mutation { createTable(input: { projectSlug: "shop", name: "products", columns: [{ name: "title", type: "text", isNullable: false }, { name: "price", type: "numeric" }, { name: "status", type: "enum", enumValues: ["DRAFT", "LIVE"] }] }) { name } }',
    ]) {
      const r = await gql(server.url, q, token);
      expect(r.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('npm run codegen writes the SDL and TypeScript types of a project', async () => {
    const out = path.join(dir, 'generated');
    const child = spawn('npm', ['run', '--silent', 'codegen'], {
      cwd: ROOT,
      env: { ...process.env, KOYALITE_URL: server.url, KOYALITE_TOKEN: token, KOYALITE_PROJECTS: 'shop', KOYALITE_CODEGEN_OUT: out },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code, log).toBe(0);
    const sdl = readFileSync(path.join(out, 'shop/schema.graphql'), 'utf8');
    expect(sdl).toMatch(/type Product \{/);
    expect(sdl).toMatch(/products\(limit: Int, offset: Int, orderBy: \[ProductOrderBy!\], where: ProductFilter\): \[Product!\]!|products\(where: ProductFilter, orderBy: \[ProductOrderBy!\], limit: Int, offset: Int\): \[Product!\]!/);
    const types = readFileSync(path.join(out, 'shop/types.ts'), 'utf8');
    expect(types).toMatch(/export type Product = \{/);
    expect(types).toMatch(/status\?: Maybe<ProductStatus>/);
  });

  it('koyalite schema <slug> prints the SDL from the database', async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    const r = run(['schema', 'shop'], env);
    const exit = await r.exited;
    expect(exit.code, r.output()).toBe(0);
    expect(r.output()).toMatch(/type Product \{\n {2}id: UUID!\n {2}title: String!\n {2}price: Decimal\n {2}status: ProductStatus/);
    const missing = run(['schema', 'nope'], env);
    expect((await missing.exited).code).toBe(1);
    expect(missing.output()).toMatch(/project "nope" not found/);
  });
});
