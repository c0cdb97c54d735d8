/**
 * Rate limits from project settings: a burst of 50 requests to a project limited to 5/s gets
 * 429s with Retry-After and RATE_LIMITED, other projects are unaffected, the server stays healthy
 * and the project answers again once tokens refill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(ENGINES)('rate limits on %s', (engine) => {
  let s: TestServer;
  let token: string;

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = await s.signInAdmin();
    for (const q of [
      'mutation { createProject(input: { name: "Limited", slug: "limited", settings: { rateLimits: { requestsPerSecond: 5, burstSize: 5 } } }) { slug } }',
      'mutation { createTable(input: { projectSlug: "limited", name: "notes", columns: [{ name: "body", type: "text" }] }) { name } }',
      'mutation { createProject(input: { name: "Free", slug: "free" }) { slug } }',
      'mutation { createTable(input: { projectSlug: "free", name: "notes", columns: [{ name: "body", type: "text" }] }) { name } }',
    ]) {
      const r = await s.admin(q, {}, token);
      expect(r.body.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  const ask = (slug: string) =>
    fetch(`${s.url}/projects/${slug}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ notesAggregate { count } }' }),
    });

  it('answers a burst of 50 with 429s beyond the burst size, and recovers', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => ask('limited')));
    const limited = responses.filter((r) => r.status === 429);
    const ok = responses.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(5);
    expect(limited.length).toBeGreaterThanOrEqual(40);
    expect(ok.length + limited.length).toBe(50);
    for (const r of limited) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await r.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    }
    // other projects and the server are unaffected
    expect((await ask('free')).status).toBe(200);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    // tokens refill: a request succeeds again within a couple of seconds
    const deadline = Date.now() + 5000;
    let status = 429;
    while (status === 429 && Date.now() < deadline) {
      status = (await ask('limited')).status;
      if (status === 429) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });
});
