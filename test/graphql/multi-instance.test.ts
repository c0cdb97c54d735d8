/**
 * Several stateless instances on one PostgreSQL: a metadata change made through one instance
 * reaches the others through LISTEN/NOTIFY, and their project schema serves the new field
 * within a second, with no failed request meanwhile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startKoyaLite, type KoyaLite } from '../../src/server/koyalite.js';
import { createLogger } from '../../src/server/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/engines.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

describe('two instances on one PostgreSQL', () => {
  let tdb: TestDatabase;
  const instances: KoyaLite[] = [];
  const dirs: string[] = [];
  let token: string;

  const post = async (app: KoyaLite, p: string, query: string) => {
    const res = await fetch(`${app.url}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: Array<{ message: string }> } };
  };

  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'koyalite-multi-'));
      dirs.push(dir);
      const config = loadConfig({
        PORT: '0', HOST: '127.0.0.1', DATABASE_URL: tdb.url!, KOYALITE_DATA_DIR: dir, LOG_LEVEL: 'silent',
        KOYALITE_JWT_SECRET: 'shared-secret-shared-secret-shared-secret', KOYALITE_ENCRYPTION_KEY: 'd'.repeat(64),
        KOYALITE_ADMIN_EMAIL: 'admin@example.com', KOYALITE_ADMIN_PASSWORD: 'admin-password-1',
      }, dir);
      instances.push(await startKoyaLite(config, createLogger('silent')));
    }
    const signIn = await fetch(`${instances[0]!.url}/admin/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { signIn(email: "admin@example.com", password: "admin-password-1") { token } }' }),
    });
    token = ((await signIn.json()) as any).data.signIn.token;
  });
  afterAll(async () => {
    for (const app of instances) await app.close();
    await tdb?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('serves a column added through the other instance within a second', async () => {
    const [a, b] = instances as [KoyaLite, KoyaLite];
    for (const q of [
      'mutation { createProject(input: { name: "Shared", slug: "shared" }) { slug } }',
      'mutation { createTable(input: { projectSlug: "shared", name: "items", columns: [{ name: "name", type: "text" }] }) { name } }',
    ]) {
      expect((await post(a, '/admin/graphql', q)).body.errors).toBeUndefined();
    }
    // instance B serves the project (and caches its schema)
    expect((await post(b, '/projects/shared/graphql', 'mutation { insertItem(input: { name: "x" }) { name } }')).body.data).toEqual({ insertItem: { name: 'x' } });
    const added = await post(a, '/admin/graphql', 'mutation { addColumn(input: { projectSlug: "shared", table: "items", name: "price", type: "integer", defaultValue: "7" }) { name } }');
    expect(added.body.errors).toBeUndefined();
    const start = Date.now();
    let seenAfter: number | undefined;
    const failures: string[] = [];
    while (Date.now() - start < 1000) {
      const r = await post(b, '/projects/shared/graphql', '{ items { name price } }');
      if (r.status !== 200) failures.push(JSON.stringify(r.body));
      if (r.body.data?.items?.[0]?.price === 7) {
        seenAfter = Date.now() - start;
        break;
      }
      // before the swap the old schema answers with a validation error for the new field, never a failure of the server
      if (r.body.errors && !/Cannot query field "price"/.test(r.body.errors[0]!.message)) failures.push(JSON.stringify(r.body));
    }
    expect(failures).toEqual([]);
    expect(seenAfter).toBeDefined();
    expect(seenAfter!).toBeLessThan(1000);
  });

  it('streams a change written through one instance to a subscriber on the other', async () => {
    const [a, b] = instances as [KoyaLite, KoyaLite];
    const client = createClient({ url: `${b.url.replace('http', 'ws')}/projects/shared/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    const seen: string[] = [];
    const dispose = client.subscribe<{ itemChanged: { new: { name: string } } }>({ query: 'subscription { itemChanged(events: [INSERT]) { new { name } } }' }, {
      next: (r) => seen.push(r.data!.itemChanged.new.name),
      error: () => {},
      complete: () => {},
    });
    // written through A until B's subscriber (live once registered) has one
    const deadline = Date.now() + 10_000;
    for (let i = 0; seen.length === 0; i++) {
      expect(Date.now()).toBeLessThan(deadline);
      expect((await post(a, '/projects/shared/graphql', `mutation { insertItem(input: { name: "via-a-${i}" }) { name } }`)).body.errors).toBeUndefined();
      const until = Date.now() + 250;
      while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen[0]).toMatch(/^via-a-\d+$/);
    dispose();
    await client.dispose();
  });

  it('delivers each webhook once although both instances send deliveries', async () => {
    const [a, b] = instances as [KoyaLite, KoyaLite];
    const ids: string[] = [];
    const receiver = http.createServer((req, res) => {
      ids.push(String(req.headers['webhook-id']));
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const created = await post(a, '/admin/graphql', `mutation { createWebhookEndpoint(input: { projectSlug: "shared", eventTypes: ["items.insert"], targetUrl: "${url}" }) { id } }`);
    expect(created.body.errors).toBeUndefined();
    for (let i = 0; i < 20; i++) {
      expect((await post(i % 2 ? a : b, '/projects/shared/graphql', `mutation { insertItem(input: { name: "hook-${i}" }) { name } }`)).body.errors).toBeUndefined();
    }
    const deadline = Date.now() + 15_000;
    while (ids.length < 20) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 50));
    }
    // both instances had their chance to send again: every delivery row is DELIVERED, each id once
    const done = async () => (await post(a, '/admin/graphql', '{ webhooks(projectSlug: "shared", status: DELIVERED) { id } }')).body.data!.webhooks.length;
    while ((await done()) < 20) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
});
