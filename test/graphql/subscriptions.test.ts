/**
 * Row-change subscriptions over real websockets (graphql-ws), on both engines: inserts, updates
 * and deletes arrive in commit order with new and old rows; `events` and `where` narrow them;
 * row-level security decides what each subscriber sees (also of rows that leave their view);
 * rolled-back writes send nothing; bad tokens are refused at connection.
 *
 * A subscription is live once the server has registered it; each test first writes a probe row
 * the subscriber can see and waits for its event, then asserts (polling with a deadline).
 */
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { SignJWT } from 'jose';
import { leaksInternals, startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server.js';

interface Stream {
  events: Array<Record<string, any>>;
  errors: unknown[];
  completed: boolean;
  until(predicate: (events: Array<Record<string, any>>) => boolean, what: string): Promise<void>;
  stop(): void;
}

async function eventually(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(ENGINES)('subscriptions on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  const users: Record<string, { token: string; id: string }> = {};
  const clients: Client[] = [];
  const api = async (query: string, token: string, variables?: Record<string, unknown>) => {
    const r = await s.gql('/projects/rt/graphql', query, variables, token);
    expect(r.body.errors, query).toBeUndefined();
    return r.body.data!;
  };
  const connect = (token?: string) => {
    const client = createClient({
      url: `${s.url.replace('http', 'ws')}/projects/rt/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    return client;
  };
  const subscribe = (client: Client, query: string, variables?: Record<string, unknown>): Stream => {
    const stream: Stream = {
      events: [],
      errors: [],
      completed: false,
      until: (predicate, what) => eventually(() => predicate(stream.events) || stream.errors.length > 0, what).then(() => expect(stream.errors).toEqual([])),
      stop: () => dispose(),
    };
    const dispose = client.subscribe<Record<string, any>>({ query, variables }, {
      next: (r) => (r.errors ? stream.errors.push(r.errors) : stream.events.push(r.data!.noteChanged)),
      error: (e) => stream.errors.push(e),
      complete: () => (stream.completed = true),
    });
    return stream;
  };
  /** a probe row the subscriber sees: its INSERT event proves the subscription is live */
  const probe = async (stream: Stream, token: string, owner: string, body: string) => {
    const deadline = Date.now() + 10_000;
    while (!stream.events.some((e) => e.new?.body === body)) {
      if (Date.now() > deadline) throw new Error(`subscription never saw probe ${body}`);
      await api('mutation($o: UUID!, $b: String!) { insertNote(input: { owner: $o, body: $b }) { id } }', token, { o: owner, b: body });
      await eventually(() => stream.events.some((e) => e.new?.body === body) || stream.errors.length > 0, `probe ${body}`, 250).catch(() => {});
    }
    expect(stream.errors).toEqual([]);
  };

  beforeAll(async () => {
    s = await startTestServer(engine, { KOYALITE_JWT_SECRET: TEST_JWT_SECRET });
    admin = await s.signInAdmin();
    for (const q of [
      'mutation { createRole(input: { name: "writer", permissions: [{ action: MANAGE, resource: "rt:notes" }] }) { name } }',
      'mutation { createProject(input: { name: "RT", slug: "rt", settings: { allowSignUp: true, defaultRole: "writer" } }) { slug } }',
      'mutation { createTable(input: { projectSlug: "rt", name: "notes", columns: [{ name: "owner", type: "uuid" }, { name: "body", type: "text" }] }) { name } }',
      'mutation { createTable(input: { projectSlug: "rt", name: "secrets", columns: [{ name: "body", type: "text" }] }) { name } }',
      'mutation { enableRowLevelSecurity(input: { projectSlug: "rt", table: "notes", enabled: true }) { rlsEnabled } }',
      'mutation { createPolicy(input: { projectSlug: "rt", table: "notes", name: "own", check: "owner = auth.uid()" }) { name } }',
    ]) {
      const r = await s.admin(q, {}, admin);
      expect(r.body.errors, q).toBeUndefined();
    }
    for (const name of ['ann', 'bob']) {
      const r = await s.gql('/projects/rt/graphql', 'mutation($e: String!) { signUp(email: $e, password: "password-123") { token user { id } } }', { e: `${name}@example.com` });
      users[name] = { token: r.body.data!.signUp.token, id: r.body.data!.signUp.user.id };
    }
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await s?.close();
  });

  it('streams inserts, updates and deletes in commit order, with new and old rows', async () => {
    const stream = subscribe(connect(admin), 'subscription { noteChanged { event new { body } old { body } } }');
    await probe(stream, admin, users.ann!.id, 'probe-1');
    const { insertNote } = await api('mutation($o: UUID!) { insertNote(input: { owner: $o, body: "first" }) { id } }', admin, { o: users.ann!.id });
    await api('mutation($id: UUID!) { updateNote(id: $id, set: { body: "second" }) { id } }', admin, { id: insertNote.id });
    await api('mutation($id: UUID!) { deleteNote(id: $id) { id } }', admin, { id: insertNote.id });
    await stream.until((e) => e.some((x) => x.event === 'DELETE'), 'the delete');
    expect(stream.events.slice(-3)).toEqual([
      { event: 'INSERT', new: { body: 'first' }, old: null },
      { event: 'UPDATE', new: { body: 'second' }, old: { body: 'first' } },
      { event: 'DELETE', new: null, old: { body: 'second' } },
    ]);
    stream.stop();
  });

  it('narrows to the events and rows asked for', async () => {
    const all = subscribe(connect(admin), 'subscription { noteChanged { event new { body } } }');
    const some = subscribe(connect(admin), 'subscription($w: NoteFilter) { noteChanged(events: [INSERT], where: $w) { event new { body } } }', { w: { body: { startsWith: 'keep' } } });
    await probe(all, admin, users.ann!.id, 'probe-2');
    await probe(some, admin, users.ann!.id, 'keep-probe-2');
    const before = some.events.length;
    const { insertNote } = await api('mutation($o: UUID!) { insertNote(input: { owner: $o, body: "skip me" }) { id } }', admin, { o: users.ann!.id });
    await api('mutation($id: UUID!) { updateNote(id: $id, set: { body: "keep? no, an update" }) { id } }', admin, { id: insertNote.id });
    await api('mutation($o: UUID!) { insertNote(input: { owner: $o, body: "keep me" }) { id } }', admin, { o: users.ann!.id });
    await all.until((e) => e.some((x) => x.new?.body === 'keep me'), 'the last insert on the unfiltered stream');
    await some.until((e) => e.some((x) => x.new?.body === 'keep me'), 'the matching insert');
    expect(some.events.slice(before)).toEqual([{ event: 'INSERT', new: { body: 'keep me' } }]);
    all.stop();
    some.stop();
  });

  it('shows each subscriber only the rows its policies allow, also of rows that leave its view', async () => {
    const ann = subscribe(connect(users.ann!.token), 'subscription { noteChanged { event new { body owner } old { body } } }');
    await probe(ann, users.ann!.token, users.ann!.id, 'ann-probe');
    const start = ann.events.length;
    await api('mutation($o: UUID!) { insertNote(input: { owner: $o, body: "bob private" }) { id } }', users.bob!.token, { o: users.bob!.id });
    const { insertNote } = await api('mutation($o: UUID!) { insertNote(input: { owner: $o, body: "ann moving" }) { id } }', users.ann!.token, { o: users.ann!.id });
    // the admin hands ann's note to bob: ann sees it leave (old only), bob's later edits are not hers
    await api('mutation($id: UUID!, $o: UUID!) { updateNote(id: $id, set: { owner: $o }) { id } }', admin, { id: insertNote.id, o: users.bob!.id });
    await api('mutation($id: UUID!) { updateNote(id: $id, set: { body: "bob edited" }) { id } }', admin, { id: insertNote.id });
    await api('mutation($o: UUID!) { insertNote(input: { owner: $o, body: "ann last" }) { id } }', users.ann!.token, { o: users.ann!.id });
    await ann.until((e) => e.some((x) => x.new?.body === 'ann last'), "ann's last insert");
    expect(ann.events.slice(start)).toEqual([
      { event: 'INSERT', new: { body: 'ann moving', owner: users.ann!.id }, old: null },
      { event: 'UPDATE', new: null, old: { body: 'ann moving' } },
      { event: 'INSERT', new: { body: 'ann last', owner: users.ann!.id }, old: null },
    ]);
    expect(JSON.stringify(ann.events)).not.toMatch(/bob private|bob edited/);
    ann.stop();
  });

  it('sends nothing of a write that was rolled back', async () => {
    const stream = subscribe(connect(admin), 'subscription { noteChanged { event new { body } } }');
    await probe(stream, admin, users.ann!.id, 'probe-3');
    const r = await s.gql('/projects/rt/graphql', `mutation { a: insertNote(input: { body: "rolled back" }) { id } b: insertNote(input: { id: "not-a-uuid", body: "x" }) { id } }`, {}, admin);
    expect(r.body.errors).toBeDefined();
    await api('mutation($o: UUID!) { insertNote(input: { owner: $o, body: "after rollback" }) { id } }', admin, { o: users.ann!.id });
    await stream.until((e) => e.some((x) => x.new?.body === 'after rollback'), 'the write after the rollback');
    expect(stream.events.map((e) => e.new?.body)).not.toContain('rolled back');
    stream.stop();
  });

  it('notifies only tables someone subscribes to, and forgets a table when its last subscriber goes', async () => {
    const heard: string[] = [];
    const stopListening = await s.app.db.listen('koyalite_changes', (payload) => heard.push(JSON.parse(payload).t));
    const leases = async () => Number((await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM koyalite.change_listeners WHERE table_name = 'notes'`))[0]!.n);
    const noLeases = async () => {
      const deadline = Date.now() + 10_000;
      while ((await leases()) > 0) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 20)); // let the server's I/O run between polls
      }
    };
    await noLeases(); // the streams of earlier tests are gone
    await api('mutation { insertSecret(input: { body: "nobody listens" }) { id } }', admin);
    const stream = subscribe(connect(admin), 'subscription { noteChanged { event new { body } } }');
    await probe(stream, admin, users.ann!.id, 'probe-4');
    await eventually(() => heard.includes('notes'), 'the notes notification');
    // NOTIFYs arrive in commit order: the earlier secrets write would have come first
    expect(heard).not.toContain('secrets');
    expect(await leases()).toBe(1);
    stream.stop();
    await noLeases();
    await stopListening();
  });

  it('refuses a subscription to a table the role may not read, as bad input', async () => {
    const client = connect(users.ann!.token);
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      client.subscribe({ query: 'subscription { secretChanged { event } }' }, { next: () => {}, error: (e) => (errors.push(e), resolve()), complete: () => resolve() });
    });
    expect(JSON.stringify(errors)).toMatch(/BAD_USER_INPUT/);
    expect(leaksInternals(JSON.stringify(errors))).toBe(false);
  });

  it('answers a subscription sent over plain HTTP with a clear error instead of hanging', async () => {
    for (const accept of ['application/json', 'text/event-stream']) {
      const res = await fetch(`${s.url}/projects/rt/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: 'subscription { noteChanged { event } }' }),
      });
      const text = await res.text();
      expect(text, accept).toMatch(/websocket/);
      expect(leaksInternals(text)).toBe(false);
    }
  });

  it('applies a changed grant to the next subscribe on an open connection', async () => {
    const client = connect(users.bob!.token);
    const first = subscribe(client, 'subscription { noteChanged { event new { body } } }');
    await probe(first, users.bob!.token, users.bob!.id, 'bob-probe');
    const grants = (permissions: string) => s.admin(`mutation { updateRole(input: { name: "writer", permissions: [${permissions}] }) { name } }`, {}, admin);
    expect((await grants('{ action: SELECT, resource: "rt:secrets" }')).body.errors).toBeUndefined();
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      client.subscribe({ query: 'subscription { noteChanged { event } }' }, { next: () => {}, error: (e) => (errors.push(e), resolve()), complete: () => resolve() });
    });
    expect(JSON.stringify(errors)).toMatch(/BAD_USER_INPUT/);
    expect((await grants('{ action: MANAGE, resource: "rt:notes" }')).body.errors).toBeUndefined();
    first.stop();
  });

  it('closes a connection when its token expires', async () => {
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await new SignJWT({ sub: users.ann!.id, role: 'writer', aud: 'rt' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer('koyalite').setIssuedAt().setExpirationTime(exp)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const client = connect(token);
    const closed = new Promise<{ code: number }>((resolve) => client.on('closed', (event) => resolve(event as { code: number })));
    const stream = subscribe(client, 'subscription { noteChanged { event new { body } } }');
    await probe(stream, users.ann!.token, users.ann!.id, 'short-lived');
    expect((await closed).code).toBe(4403);
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000 - 50);
  });

  it('closes the connection of a bad token instead of treating it as anonymous', async () => {
    const client = connect('not-a-token');
    const closed = await new Promise<unknown>((resolve) => {
      client.on('closed', (event) => resolve(event));
      client.subscribe({ query: 'subscription { noteChanged { event } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    });
    expect((closed as { code: number }).code).toBe(4403);
  });
});
