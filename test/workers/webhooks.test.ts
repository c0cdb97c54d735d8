/**
 * Webhooks end to end on both engines, against a real HTTP receiver on 127.0.0.1: endpoints
 * through the admin API, deliveries written in the transaction of the change (none for a
 * rolled-back write), POSTed with Standard Webhooks signatures the receiver verifies, retried
 * after a failure with the same webhook-id, FAILED after maxAttempts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, type TestServer } from '../support/server.js';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(ENGINES)('webhooks on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  let receiver: http.Server;
  let base: string;
  const received: Received[] = [];
  /** per path: statuses to answer, in order (then 200) */
  const script = new Map<string, number[]>();
  const adminOk = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await s.admin(query, variables, admin);
    expect(r.body.errors, query).toBeUndefined();
    return r.body.data!;
  };
  const api = async (query: string, variables?: Record<string, unknown>) => s.gql('/projects/hooks/graphql', query, variables, admin);
  const createEndpoint = async (path: string, eventTypes: string[], extra = '') =>
    (await adminOk(`mutation($e: [String!]!, $u: String!) { createWebhookEndpoint(input: { projectSlug: "hooks", eventTypes: $e, targetUrl: $u${extra} }) { id secret maxAttempts enabled } }`, { e: eventTypes, u: `${base}${path}` })).createWebhookEndpoint;
  const deliveries = async (endpointId: string) =>
    s.app.db.query<{ status: string; attempt_count: number; last_error: string | null; response_status: number | null; payload: any }>(
      sql`SELECT status::text AS status, attempt_count, last_error, response_status, payload FROM koyalite.webhooks WHERE endpoint_id = ${endpointId}::uuid ORDER BY created_at, id`,
    );

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const statuses = script.get(path) ?? [];
        res.writeHead(statuses.shift() ?? 200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    s = await startTestServer(engine);
    admin = await s.signInAdmin();
    await adminOk('mutation { createProject(input: { name: "Hooks", slug: "hooks" }) { slug } }');
    await adminOk('mutation { createTable(input: { projectSlug: "hooks", name: "notes", columns: [{ name: "body", type: "text" }] }) { name } }');
  });
  afterAll(async () => {
    await s?.close();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  it.each([
    ['a target that is no http(s) URL', '["notes.insert"]', 'ftp://example.com/x', '', 'targetUrl'],
    ['an event of no table of the project', '["orders.insert"]', 'http://127.0.0.1/x', '', 'eventTypes'],
    ['an unknown operation', '["notes.upsert"]', 'http://127.0.0.1/x', '', 'eventTypes'],
    ['a secret that is no whsec_ key', '["notes.insert"]', 'http://127.0.0.1/x', ', secret: "hunter2"', 'secret'],
    ['no attempts', '["notes.insert"]', 'http://127.0.0.1/x', ', maxAttempts: 0', 'maxAttempts'],
  ])('refuses an endpoint with %s, creating nothing', async (_what, events, url, extra, field) => {
    const r = await s.admin(`mutation { createWebhookEndpoint(input: { projectSlug: "hooks", eventTypes: ${events}, targetUrl: "${url}"${extra} }) { id } }`, {}, admin);
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(leaksInternals(r.text)).toBe(false);
    expect((await adminOk('{ webhookEndpoints(projectSlug: "hooks") { id } }')).webhookEndpoints).toEqual([]);
  });

  it('delivers a change, signed, with the row, once the write commits', async () => {
    const endpoint = await createEndpoint('/all', ['notes.insert', 'notes.update', 'notes.delete']);
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint.maxAttempts).toBe(8);
    const id = (await api('mutation { insertNote(input: { body: "hello" }) { id } }')).body.data!.insertNote.id;
    await api(`mutation { updateNote(id: "${id}", set: { body: "hello again" }) { id } }`);
    const rows = await eventually(() => deliveries(endpoint.id), (r) => r.length === 2 && r.every((d) => d.status === 'DELIVERED'), 'two deliveries');
    expect(rows.map((d) => [d.attempt_count, d.response_status])).toEqual([[1, 200], [1, 200]]);
    const got = received.filter((r) => r.path === '/all');
    expect(got).toHaveLength(2);
    const hook = new Webhook(endpoint.secret);
    const bodies = got.map((r) => hook.verify(r.body, { 'webhook-id': r.headers['webhook-id'] as string, 'webhook-timestamp': r.headers['webhook-timestamp'] as string, 'webhook-signature': r.headers['webhook-signature'] as string }) as any);
    expect(bodies.map((b) => b.type).sort()).toEqual(['notes.insert', 'notes.update']);
    const update = bodies.find((b) => b.type === 'notes.update');
    expect(update.data.new).toMatchObject({ id, body: 'hello again' });
    expect(update.data.old).toMatchObject({ id, body: 'hello' });
    expect(Number.isNaN(Date.parse(update.timestamp))).toBe(false);
    // a forged signature does not verify
    expect(() => hook.verify(got[0]!.body.replace('hello', 'HELLO'), { 'webhook-id': got[0]!.headers['webhook-id'] as string, 'webhook-timestamp': got[0]!.headers['webhook-timestamp'] as string, 'webhook-signature': got[0]!.headers['webhook-signature'] as string })).toThrow();
  });

  it('writes no delivery for a write that was rolled back', async () => {
    const endpoint = await createEndpoint('/rollback', ['notes.insert']);
    const failed = await api('mutation { a: insertNote(input: { body: "rolled back" }) { id } b: insertNote(input: { id: "not-a-uuid", body: "x" }) { id } }');
    expect(failed.body.errors).toBeDefined();
    await api('mutation { insertNote(input: { body: "kept" }) { id } }');
    const rows = await eventually(() => deliveries(endpoint.id), (r) => r.length > 0 && r.every((d) => d.status === 'DELIVERED'), 'the delivery of the kept write');
    expect(rows.map((d) => d.payload.data.new.body)).toEqual(['kept']);
  });

  it('retries a failed attempt with the same webhook-id, and gives up after maxAttempts', async () => {
    script.set('/flaky', [500]);
    script.set('/down', [503, 503, 503]);
    const flaky = await createEndpoint('/flaky', ['notes.delete']);
    const down = await createEndpoint('/down', ['notes.delete'], ', maxAttempts: 2');
    const id = (await api('mutation { insertNote(input: { body: "to delete" }) { id } }')).body.data!.insertNote.id;
    await api(`mutation { deleteNote(id: "${id}") { id } }`);
    const [ok] = await eventually(() => deliveries(flaky.id), (r) => r[0]?.status === 'DELIVERED', 'the retried delivery');
    expect(ok).toMatchObject({ attempt_count: 2, response_status: 200, last_error: null });
    const ids = received.filter((r) => r.path === '/flaky').map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    const [gaveUp] = await eventually(() => deliveries(down.id), (r) => r[0]?.status === 'FAILED', 'the failed delivery');
    expect(gaveUp).toMatchObject({ attempt_count: 2, response_status: 503, last_error: 'HTTP 503' });
    expect(received.filter((r) => r.path === '/down')).toHaveLength(2);
    expect(ok!.payload).toMatchObject({ type: 'notes.delete', data: { new: null, old: { body: 'to delete' } } });
  });

  it('sends nothing to a disabled endpoint, and lists deliveries by status', async () => {
    const endpoint = await createEndpoint('/off', ['notes.insert']);
    await adminOk(`mutation { updateWebhookEndpoint(input: { id: "${endpoint.id}", enabled: false }) { enabled } }`);
    const marker = await createEndpoint('/marker', ['notes.insert']);
    await api('mutation { insertNote(input: { body: "while off" }) { id } }');
    await eventually(() => deliveries(marker.id), (r) => r[0]?.status === 'DELIVERED', 'the marker delivery');
    expect(await deliveries(endpoint.id)).toEqual([]);
    const failed = await adminOk('{ webhooks(projectSlug: "hooks", status: FAILED) { eventType attemptCount lastError } }');
    expect(failed.webhooks).toEqual([{ eventType: 'notes.delete', attemptCount: 2, lastError: 'HTTP 503' }]);
  });
});
