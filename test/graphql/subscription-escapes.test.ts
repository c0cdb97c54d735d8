/**
 * Escape attempts against row-change subscriptions (`docChanged(where, events)` over graphql-ws),
 * on both engines, from callers holding valid, foreign, expired, forged or no tokens:
 *   - rows and columns the caller may not read: hidden inserts/updates/deletes, RESTRICTIVE
 *     (deny) policies, membership policies through exists(…) whose inner table has the outer
 *     table's column names, rows moving in and out of view, relations selected under new/old,
 *     `where` used as an oracle on hidden rows, hidden related rows and hidden columns,
 *     column-level grants, encrypted columns (decrypted, and only for who may read them), rows
 *     over the NOTIFY payload limit (re-read by id under row-level security);
 *   - authentication at connection: anonymous, foreign-project, expired and forged tokens;
 *     production introspection and the persisted-operation allow list over the websocket;
 *   - robustness: malformed messages, unknown fields, bad arguments, many subscribers, leases
 *     released on unsubscribe, dispose and abrupt socket loss, metadata changes (new column,
 *     new deny policy, dropped column) while subscribed, shutdown with open sockets;
 *   - the other operations graphql-ws carries on the same socket (queries, mutations).
 *
 * Liveness: a stream is live once the server registered it; each test first writes a probe the
 * subscriber may see and waits for it. "Nothing delivered" is proved by writing the forbidden
 * change first, then one the subscriber may see, waiting for that one (NOTIFY delivers in
 * commit order) and asserting the forbidden one never arrived.
 */
import { createClient, type Client } from 'graphql-ws';
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sql } from '../../src/lib/sql.js';
import { ENGINES } from '../support/engines.js';
import { leaksInternals, startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server.js';

type Event = Record<string, any>;

interface Stream {
  events: Event[];
  errors: unknown[];
  completed: boolean;
  until(predicate: (events: Event[]) => boolean, what: string): Promise<void>;
  stop(): void;
}

const tick = () => new Promise((r) => setTimeout(r, 20));

async function eventually(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick();
  }
}

/** like eventually, for an async check (yields between polls so the server's websocket I/O runs) */
async function eventuallyAsync(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick();
  }
}

/** an error as a stream reports it: a close event as its code and reason, GraphQL errors as they are */
const compact = (e: unknown): unknown => (typeof e === 'object' && e !== null && 'code' in e && 'reason' in e ? { closed: (e as { code: number }).code, reason: (e as { reason: string }).reason } : e instanceof Error ? e.message : e);

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** a raw graphql-transport-ws socket: every message and the close code */
function rawSocket(url: string, protocol = 'graphql-transport-ws') {
  const ws = new WebSocket(url, protocol);
  const messages: any[] = [];
  const state = { closed: undefined as number | undefined, error: undefined as unknown, open: false };
  ws.on('open', () => (state.open = true));
  ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
  ws.on('close', (code) => (state.closed = code));
  ws.on('error', (e) => (state.error = e));
  return { ws, messages, state };
}

describe.each(ENGINES)('subscription escapes on %s', (engine) => {
  let s: TestServer;
  let admin: string;
  let wsUrl: string;
  const users: Record<string, { token: string; id: string }> = {};
  const team: Record<'A' | 'B', string> = { A: '', B: '' };
  const person: Record<'ann' | 'bob', string> = { ann: '', bob: '' };
  const clients: Client[] = [];
  let probes = 0;

  const api = async (query: string, token: string | undefined, variables?: Record<string, unknown>, slug = 'esc') => {
    const r = await s.gql(`/projects/${slug}/graphql`, query, variables, token);
    expect(r.body.errors, query).toBeUndefined();
    return r.body.data!;
  };
  const adminOk = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await s.admin(query, variables, admin);
    expect(r.body.errors, query).toBeUndefined();
    return r.body.data!;
  };
  const connect = (token?: string, slug = 'esc', webSocketImpl: unknown = WebSocket) => {
    const client = createClient({
      url: `${wsUrl}/projects/${slug}/graphql`,
      webSocketImpl,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: true,
      // a one-shot operation must not race the lazy close of the socket it runs on
      lazyCloseTimeout: 60_000,
    });
    clients.push(client);
    return client;
  };
  const subscribe = (client: Client, query: string, variables?: Record<string, unknown>, extensions?: Record<string, unknown>): Stream => {
    const stream: Stream = {
      events: [],
      errors: [],
      completed: false,
      until: (predicate, what) => eventually(() => predicate(stream.events) || stream.errors.length > 0 || stream.completed, what).then(() => {
        expect(stream.errors).toEqual([]);
        expect(predicate(stream.events), `${what} (stream completed: ${stream.completed})`).toBe(true);
      }),
      stop: () => dispose(),
    };
    const dispose = client.subscribe<Record<string, any>>({ query, variables, ...(extensions ? { extensions } : {}) }, {
      next: (r) => (r.errors ? stream.errors.push(r.errors) : stream.events.push(Object.values(r.data!)[0])),
      error: (e) => stream.errors.push(compact(e)),
      complete: () => (stream.completed = true),
    });
    return stream;
  };
  /** the first answer of a one-shot operation over the socket (result or error) */
  const once = (client: Client, query: string, variables?: Record<string, unknown>, extensions?: Record<string, unknown>) =>
    new Promise<{ data?: any; errors?: any[]; error?: unknown }>((resolve) => {
      let done = false;
      const dispose = client.subscribe<Record<string, any>>({ query, variables, ...(extensions ? { extensions } : {}) }, {
        next: (r) => {
          if (!done) (done = true), resolve(r.errors ? { data: r.data, errors: r.errors as any[] } : { data: r.data }), dispose();
        },
        error: (e) => !done && ((done = true), resolve({ error: compact(e) })),
        complete: () => !done && ((done = true), resolve({})),
      });
    });
  const insertDoc = async (input: Record<string, unknown>, token = admin) => (await api('mutation($i: DocInsertInput!) { insertDoc(input: $i) { id } }', token, { i: input })).insertDoc.id as string;
  const updateDoc = (id: string, set: Record<string, unknown>, token = admin) => api('mutation($id: UUID!, $s: DocSetInput!) { updateDoc(id: $id, set: $s) { id } }', token, { id, s: set });
  const deleteDoc = (id: string, token = admin) => api('mutation($id: UUID!) { deleteDoc(id: $id) { id } }', token, { id });
  /** writes docs owned by `owner` until the stream has one (its title starts with `prefix`) */
  const probe = async (stream: Stream, owner: string, prefix = 'probe') => {
    const deadline = Date.now() + 10_000;
    const title = `${prefix}-${++probes}`;
    while (!stream.events.some((e) => e.new?.title === title)) {
      if (Date.now() > deadline) throw new Error(`subscription never saw ${title} (errors: ${JSON.stringify(stream.errors)}, completed: ${stream.completed})`);
      if (stream.errors.length > 0 || stream.completed) break;
      await insertDoc({ owner, title });
      await eventually(() => stream.events.some((e) => e.new?.title === title) || stream.errors.length > 0, title, 250).catch(() => {});
    }
    expect(stream.errors).toEqual([]);
    expect(stream.completed).toBe(false);
  };
  const leases = async (table: string) =>
    Number((await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM koyalite.change_listeners WHERE table_name = ${table}`))[0]!.n);

  beforeAll(async () => {
    // the same JWT secret on both engines, so the tests can mint expired and forged tokens
    s = await startTestServer(engine, { KOYALITE_JWT_SECRET: TEST_JWT_SECRET });
    wsUrl = s.url.replace('http', 'ws');
    admin = await s.signInAdmin();
    const crud = (t: string, actions = ['SELECT', 'INSERT', 'UPDATE', 'DELETE']) => actions.map((a) => `{ action: ${a}, resource: "esc:${t}" }`).join(', ');
    const membership = (col: string) => `exists(team_members where team_members.team_id = ${col} and team_members.user_id = auth.uid() and team_members.status = 'active')`;
    for (const q of [
      `mutation { createRole(input: { name: "member", permissions: [${[crud('docs'), crud('teams', ['SELECT']), crud('team_members', ['SELECT']), crud('people', ['SELECT']), crud('pings'), crud('beats'), crud('vaults')].join(', ')}] }) { name } }`,
      // only the title and owner of docs (and the key)
      'mutation { createRole(input: { name: "limited", permissions: [{ action: SELECT, resource: "esc:docs.title" }, { action: SELECT, resource: "esc:docs.owner" }] }) { name } }',
      'mutation { createProject(input: { name: "Esc", slug: "esc", settings: { allowSignUp: true, defaultRole: "member" } }) { slug } }',
      'mutation { createProject(input: { name: "Other", slug: "other", settings: { allowSignUp: true, defaultRole: "member" } }) { slug } }',
      'mutation { createTable(input: { projectSlug: "esc", name: "teams", columns: [{ name: "name", type: "text" }] }) { name } }',
      `mutation { createTable(input: { projectSlug: "esc", name: "team_members", columns: [{ name: "user_id", type: "uuid" }, { name: "status", type: "text", defaultValue: "active" }] }) { name } }`,
      'mutation { createTable(input: { projectSlug: "esc", name: "people", columns: [{ name: "name", type: "text" }, { name: "email", type: "text" }, { name: "owner", type: "uuid" }] }) { name } }',
      'mutation { createTable(input: { projectSlug: "esc", name: "docs", columns: [{ name: "owner", type: "uuid" }, { name: "title", type: "text" }, { name: "body", type: "text" }, { name: "secret", type: "text", encrypted: true }] }) { name } }',
      'mutation { createTable(input: { projectSlug: "esc", name: "pings", columns: [{ name: "body", type: "text" }] }) { name } }',
      'mutation { createTable(input: { projectSlug: "esc", name: "beats", columns: [{ name: "body", type: "text" }] }) { name } }',
      'mutation { createTable(input: { projectSlug: "esc", name: "vaults", columns: [{ name: "owner", type: "uuid" }, { name: "label", type: "text" }] }) { name } }',
      'mutation { createProject(input: { name: "Clinic", slug: "clinic", settings: { complianceFlags: { hipaaEnabled: true } } }) { slug } }',
      'mutation { createTable(input: { projectSlug: "clinic", name: "visits", columns: [{ name: "note", type: "text" }] }) { name } }',
      'mutation { createTable(input: { projectSlug: "other", name: "docs", columns: [{ name: "title", type: "text" }] }) { name } }',
      'mutation { createRelationship(input: { projectSlug: "esc", type: ONE_TO_MANY, fromTable: "teams", toTable: "team_members", fromFieldName: "members", toFieldName: "team" }) { type } }',
      'mutation { createRelationship(input: { projectSlug: "esc", type: ONE_TO_MANY, fromTable: "teams", toTable: "docs", fromFieldName: "docs", toFieldName: "team" }) { type } }',
      'mutation { createRelationship(input: { projectSlug: "esc", type: ONE_TO_MANY, fromTable: "people", toTable: "docs", fromFieldName: "docs", toFieldName: "person" }) { type } }',
      ...['teams', 'team_members', 'people', 'docs', 'vaults'].map((t) => `mutation { enableRowLevelSecurity(input: { projectSlug: "esc", table: "${t}", enabled: true }) { rlsEnabled } }`),
    ]) {
      await adminOk(q);
    }
    const policy = async (table: string, name: string, check: string, extra = '') =>
      adminOk(`mutation($t: String!, $n: String!, $c: String!) { createPolicy(input: { projectSlug: "esc", table: $t, name: $n, check: $c${extra} }) { name } }`, { t: table, n: name, c: check });
    // `id` and `team_id` inside exists(…) are the outer row's, though team_members has both columns
    await policy('teams', 'members_read', membership('id'), ', command: SELECT');
    await policy('team_members', 'own_memberships', 'user_id = auth.uid()', ', command: SELECT');
    await policy('people', 'own_people', 'owner = auth.uid()');
    await policy('docs', 'own_docs', 'owner = auth.uid()');
    await policy('docs', 'team_docs', membership('team_id'));
    await policy('docs', 'no_classified', "title like 'classified%'", ', effect: DENY');
    for (const name of ['ann', 'bob']) {
      const r = await s.gql('/projects/esc/graphql', 'mutation($e: String!) { signUp(email: $e, password: "password-123") { token user { id } } }', { e: `${name}@example.com` });
      expect(r.body.errors).toBeUndefined();
      users[name] = { token: r.body.data!.signUp.token, id: r.body.data!.signUp.user.id };
    }
    // a control-plane user whose role reads only docs.title and docs.owner
    const lim = await adminOk('mutation { createUser(input: { email: "lim@example.com", password: "password-123", roleName: "limited" }) { id } }');
    const limIn = await s.admin('mutation { signIn(email: "lim@example.com", password: "password-123") { token } }');
    users.lim = { token: limIn.body.data!.signIn.token, id: lim.createUser.id };
    team.A = (await api('mutation { insertTeam(input: { name: "A" }) { id } }', admin)).insertTeam.id;
    team.B = (await api('mutation { insertTeam(input: { name: "B" }) { id } }', admin)).insertTeam.id;
    await api('mutation($t: UUID!, $u: UUID!) { insertTeamMember(input: { team_id: $t, user_id: $u }) { id } }', admin, { t: team.A, u: users.ann!.id });
    await api('mutation($t: UUID!, $u: UUID!) { insertTeamMember(input: { team_id: $t, user_id: $u }) { id } }', admin, { t: team.B, u: users.bob!.id });
    person.ann = (await api('mutation($o: UUID!) { insertPerson(input: { name: "Ann", email: "ann@people.test", owner: $o }) { id } }', admin, { o: users.ann!.id })).insertPerson.id;
    person.bob = (await api('mutation($o: UUID!) { insertPerson(input: { name: "Bob", email: "bob-hidden@people.test", owner: $o }) { id } }', admin, { o: users.bob!.id })).insertPerson.id;
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await s?.close();
  });

  it('delivers only rows the policies allow: hidden writes, deny rules, other teams, rows moving in and out', async () => {
    const ann = users.ann!;
    const bob = users.bob!;
    const stream = subscribe(connect(ann.token), 'subscription { docChanged { event new { title } old { title } } }');
    await probe(stream, ann.id);
    const start = stream.events.length;
    const bobDoc = await insertDoc({ owner: bob.id, title: 'bob-private', team_id: team.B });
    const teamB = await insertDoc({ title: 'teamB-private', team_id: team.B });
    await updateDoc(bobDoc, { title: 'bob-private-2' });
    await deleteDoc(bobDoc);
    const classified = await insertDoc({ owner: ann.id, title: 'classified-1' });
    await updateDoc(classified, { body: 'still classified' });
    await insertDoc({ owner: bob.id, title: 'teamA-shared', team_id: team.A });
    await updateDoc(teamB, { team_id: team.A }); // moves into ann's view: new only
    const moving = await insertDoc({ owner: ann.id, title: 'ann-moving' });
    await updateDoc(moving, { owner: bob.id }); // leaves it: old only
    await updateDoc(moving, { title: 'bob-now' });
    await deleteDoc(moving);
    const declassified = await insertDoc({ owner: ann.id, title: 'ann-open' });
    await updateDoc(declassified, { title: 'classified-2' }); // into the deny rule: old only
    await deleteDoc(declassified);
    await deleteDoc(classified);
    await insertDoc({ owner: ann.id, title: 'ann-final' });
    await stream.until((e) => e.some((x) => x.new?.title === 'ann-final'), 'ann-final');
    expect(stream.events.slice(start)).toEqual([
      { event: 'INSERT', new: { title: 'teamA-shared' }, old: null },
      { event: 'UPDATE', new: { title: 'teamB-private' }, old: null },
      { event: 'INSERT', new: { title: 'ann-moving' }, old: null },
      { event: 'UPDATE', new: null, old: { title: 'ann-moving' } },
      { event: 'INSERT', new: { title: 'ann-open' }, old: null },
      { event: 'UPDATE', new: null, old: { title: 'ann-open' } },
      { event: 'INSERT', new: { title: 'ann-final' }, old: null },
    ]);
    expect(JSON.stringify(stream.events)).not.toMatch(/bob-private|bob-now|classified/);
    stream.stop();
  });

  it('reads relations under new and old with row-level security, as a query does', async () => {
    const ann = users.ann!;
    const selection = '{ title person { email } team { name members { user_id } } }';
    const stream = subscribe(connect(ann.token), `subscription { docChanged { event new ${selection} old ${selection} } }`);
    await probe(stream, ann.id);
    const start = stream.events.length;
    // ann's docs pointing at bob's person row (hidden) and at team B (hidden)
    const a = await insertDoc({ owner: ann.id, title: 'rel-1', person_id: person.bob, team_id: team.A });
    const b = await insertDoc({ owner: ann.id, title: 'rel-2', person_id: person.ann, team_id: team.B });
    await deleteDoc(a);
    await stream.until((e) => e.some((x) => x.event === 'DELETE' && x.old?.title === 'rel-1'), 'the delete of rel-1');
    const rel1 = { title: 'rel-1', person: null, team: { name: 'A', members: [{ user_id: ann.id }] } };
    expect(stream.events.slice(start)).toEqual([
      { event: 'INSERT', new: rel1, old: null },
      { event: 'INSERT', new: { title: 'rel-2', person: { email: 'ann@people.test' }, team: null }, old: null },
      { event: 'DELETE', new: null, old: rel1 },
    ]);
    // the same as a query answers
    expect((await api(`query($id: UUID!) { doc(id: $id) ${selection} }`, ann.token, { id: b })).doc).toEqual(stream.events[start + 1]!.new);
    expect(JSON.stringify(stream.events)).not.toMatch(/bob-hidden/);
    stream.stop();
  });

  it('never lets where match on hidden rows, hidden related rows or hidden teams', async () => {
    const ann = users.ann!;
    const bob = users.bob!;
    const where = {
      or: [
        { title: { eq: 'oracle-marker' } },
        { title: { startsWith: 'probe' } },
        { owner: { eq: bob.id } },
        { person: { email: { eq: 'bob-hidden@people.test' } } },
        { team: { name: { eq: 'B' } } },
        { team: { members: { some: { user_id: { eq: bob.id } } } } },
      ],
    };
    const stream = subscribe(connect(ann.token), 'subscription($w: DocFilter) { docChanged(where: $w) { event new { title } old { title } } }', { w: where });
    await probe(stream, ann.id);
    const start = stream.events.length;
    await insertDoc({ owner: bob.id, title: 'oracle-bob' }); // hidden row matching owner
    await insertDoc({ owner: ann.id, title: 'oracle-person', person_id: person.bob }); // visible row, only a hidden person matches
    await insertDoc({ owner: ann.id, title: 'oracle-team', team_id: team.B }); // visible row, only a hidden team matches
    await insertDoc({ owner: ann.id, title: 'oracle-marker' });
    await stream.until((e) => e.some((x) => x.new?.title === 'oracle-marker'), 'the marker');
    expect(stream.events.slice(start)).toEqual([{ event: 'INSERT', new: { title: 'oracle-marker' }, old: null }]);
    // a query with the same filter agrees
    const { docs } = await api('query($w: DocFilter) { docs(where: $w) { title } }', ann.token, { w: { and: [where, { title: { startsWith: 'oracle' } }] } });
    expect(docs).toEqual([{ title: 'oracle-marker' }]);
    stream.stop();
  });

  it('keeps a role with column grants to its columns: under new and old, in where, through relations', async () => {
    const lim = users.lim!;
    const client = connect(lim.token);
    for (const query of [
      'subscription { docChanged { new { body } } }',
      'subscription { docChanged { old { secret } } }',
      'subscription { docChanged { new { person { email } } } }',
      'subscription { docChanged { new { team_id } } }',
      'subscription { docChanged(where: { body: { eq: "x" } }) { new { title } } }',
      'subscription { docChanged(where: { team: { name: { eq: "A" } } }) { new { title } } }',
      'subscription { teamChanged { new { name } } }',
    ]) {
      const r = await once(client, query);
      expect(r.data ?? null, query).toBeNull();
      const text = JSON.stringify(r);
      expect(text, query).toMatch(/BAD_USER_INPUT/);
      expect(leaksInternals(text), query).toBe(false);
    }
    const stream = subscribe(client, 'subscription { docChanged { event new { title owner __typename } old { title } } }');
    await probe(stream, lim.id);
    const start = stream.events.length;
    const id = await insertDoc({ owner: lim.id, title: 'lim-1', body: 'lim body', secret: 'lim secret' });
    await updateDoc(id, { title: 'lim-2' });
    await stream.until((e) => e.some((x) => x.new?.title === 'lim-2'), 'lim-2');
    expect(stream.events.slice(start)).toEqual([
      { event: 'INSERT', new: { title: 'lim-1', owner: lim.id, __typename: 'Doc' }, old: null },
      { event: 'UPDATE', new: { title: 'lim-2', owner: lim.id, __typename: 'Doc' }, old: { title: 'lim-1' } },
    ]);
    expect(JSON.stringify(stream.events)).not.toMatch(/lim body|lim secret/);
    stream.stop();
  });

  it('decrypts encrypted columns under new and old, and refuses them in where', async () => {
    const ann = users.ann!;
    const client = connect(ann.token);
    const bad = await once(client, 'subscription { docChanged(where: { secret: { eq: "enc-1" } }) { new { title } } }');
    expect(JSON.stringify(bad)).toMatch(/BAD_USER_INPUT/);
    expect(bad.data ?? null).toBeNull();
    const stream = subscribe(client, 'subscription { docChanged { event new { title secret } old { secret } } }');
    await probe(stream, ann.id);
    const start = stream.events.length;
    const id = await insertDoc({ owner: ann.id, title: 'enc', secret: 'enc-1' }, ann.token);
    await updateDoc(id, { secret: 'enc-2' }, ann.token);
    await deleteDoc(id, ann.token);
    await stream.until((e) => e.some((x) => x.event === 'DELETE' && x.old?.secret === 'enc-2'), 'the delete');
    expect(stream.events.slice(start)).toEqual([
      { event: 'INSERT', new: { title: 'enc', secret: 'enc-1' }, old: null },
      { event: 'UPDATE', new: { title: 'enc', secret: 'enc-2' }, old: { secret: 'enc-1' } },
      { event: 'DELETE', new: null, old: { secret: 'enc-2' } },
    ]);
    stream.stop();
  });

  it('re-reads rows over the NOTIFY limit by id, under row-level security', async () => {
    const ann = users.ann!;
    const bob = users.bob!;
    const big = 'x'.repeat(9000);
    const wide = 'é'.repeat(3000); // 6000 bytes
    const stream = subscribe(connect(ann.token), 'subscription { docChanged { event new { title body } old { title } } }');
    await probe(stream, ann.id);
    const start = stream.events.length;
    // each change is awaited before the next: a row read again by id is read as it is now
    const seen = (title: string) => stream.until((e) => e.some((x) => x.new?.title === title), title);
    const id = await insertDoc({ owner: ann.id, title: 'big-1', body: big });
    await seen('big-1');
    await updateDoc(id, { title: 'big-2' }); // old too big: dropped; new read again by id
    await seen('big-2');
    await insertDoc({ owner: bob.id, title: 'big-bob', body: big });
    await insertDoc({ owner: ann.id, title: 'classified-big', body: big });
    const w = await insertDoc({ owner: ann.id, title: 'wide-1', body: wide });
    await seen('wide-1');
    await updateDoc(w, { title: 'wide-2' }); // old fits, old + new do not: new read by id
    await seen('wide-2');
    await updateDoc(id, { owner: bob.id }); // leaves ann's view: nothing of it to read
    await updateDoc(id, { title: 'big-bob-2' });
    await insertDoc({ owner: ann.id, title: 'big-marker' });
    await seen('big-marker');
    expect(stream.events.slice(start)).toEqual([
      { event: 'INSERT', new: { title: 'big-1', body: big }, old: null },
      { event: 'UPDATE', new: { title: 'big-2', body: big }, old: null },
      { event: 'INSERT', new: { title: 'wide-1', body: wide }, old: null },
      { event: 'UPDATE', new: { title: 'wide-2', body: wide }, old: { title: 'wide-1' } },
      { event: 'INSERT', new: { title: 'big-marker', body: null }, old: null },
    ]);
    expect(JSON.stringify(stream.events)).not.toMatch(/big-bob|classified/);
    stream.stop();
  });

  it('authenticates connections: anonymous gets nothing, foreign, expired and forged tokens are closed with 4403', async () => {
    // anonymous: no grant on docs, so no docChanged in its schema
    const anon = await once(connect(), 'subscription { docChanged { event new { title } } }');
    expect(JSON.stringify(anon)).toMatch(/BAD_USER_INPUT/);
    expect(anon.data ?? null).toBeNull();
    const other = await s.gql('/projects/other/graphql', 'mutation { signUp(email: "eve@example.com", password: "password-123") { token user { id } } }');
    const foreign = other.body.data!.signUp.token as string;
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const mint = (claims: Record<string, unknown>, k = key) => new SignJWT({ role: 'member', ...claims }).setProtectedHeader({ alg: 'HS256' }).setIssuer('koyalite').setAudience('esc').setSubject(users.ann!.id).sign(k);
    const expired = await new SignJWT({ role: 'member' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('koyalite').setAudience('esc').setSubject(users.ann!.id).setIssuedAt(now - 120).setExpirationTime(now - 60).sign(key);
    const forged = await new SignJWT({ role: 'member' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('koyalite').setAudience('esc').setSubject(users.ann!.id).setExpirationTime(now + 600).sign(new TextEncoder().encode('x'.repeat(48)));
    const noExp = await mint({});
    const adminRole = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('koyalite').setAudience('esc').setSubject(users.ann!.id).setExpirationTime(now + 600).sign(new TextEncoder().encode('y'.repeat(48)));
    for (const [what, token] of [['foreign', foreign], ['expired', expired], ['forged', forged], ['without exp', noExp], ['forged admin', adminRole], ['garbage', 'a.b.c']] as const) {
      const client = connect(token);
      const seen: unknown[] = [];
      const closed = await new Promise<unknown>((resolve) => {
        client.on('closed', (event) => resolve(event));
        client.subscribe({ query: 'subscription { docChanged { event new { title } } }' }, { next: (r) => seen.push(r), error: () => {}, complete: () => {} });
      });
      expect((closed as { code: number }).code, what).toBe(4403);
      expect(seen, what).toEqual([]);
    }
    // a valid token whose claims say admin gets the user's role, not the admin's bypass
    const claimsAdmin = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('koyalite').setAudience('esc').setSubject(users.bob!.id).setExpirationTime(now + 600).sign(key);
    const stream = subscribe(connect(claimsAdmin), 'subscription { docChanged { event new { title } } }');
    await probe(stream, users.bob!.id);
    const start = stream.events.length;
    await insertDoc({ owner: users.ann!.id, title: 'not-for-bob' });
    await insertDoc({ owner: users.bob!.id, title: 'bob-marker' });
    await stream.until((e) => e.some((x) => x.new?.title === 'bob-marker'), 'bob-marker');
    expect(stream.events.slice(start).map((e) => e.new?.title)).toEqual(['bob-marker']);
    stream.stop();
    // unknown project and paths outside the project endpoints
    const unknown = rawSocket(`${wsUrl}/projects/nope/graphql`);
    unknown.ws.on('open', () => unknown.ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    await eventually(() => unknown.state.closed !== undefined || unknown.state.error !== undefined, 'the unknown project socket to close');
    expect(unknown.messages.some((m) => m.type === 'connection_ack')).toBe(false);
    const elsewhere = rawSocket(`${wsUrl}/admin/graphql`);
    await eventually(() => elsewhere.state.closed !== undefined || elsewhere.state.error !== undefined, 'the admin path socket to fail');
    expect(elsewhere.state.open).toBe(false);
  });

  it('stops streaming to a connection whose token has expired', async () => {
    const ann = users.ann!;
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const exp = Math.floor(Date.now() / 1000) + 3;
    const shortLived = await new SignJWT({ role: 'member' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('koyalite').setAudience('esc').setSubject(ann.id).setIssuedAt().setExpirationTime(exp).sign(key);
    const client = connect(shortLived);
    let closed = false;
    client.on('closed', () => (closed = true));
    const stream = subscribe(client, 'subscription { docChanged { event new { title } } }');
    await probe(stream, ann.id);
    await eventually(() => Date.now() / 1000 > exp + 1, 'the token to expire');
    // a long-lived subscriber of ann's, as the clock: it sees the write, the expired one must not
    const clock = subscribe(connect(ann.token), 'subscription { docChanged { event new { title } } }');
    await probe(clock, ann.id);
    await insertDoc({ owner: ann.id, title: 'after-expiry' });
    await clock.until((e) => e.some((x) => x.new?.title === 'after-expiry'), 'after-expiry on the valid stream');
    await eventually(() => closed || stream.completed || stream.errors.length > 0 || stream.events.some((x) => x.new?.title === 'after-expiry'), 'the expired stream to end or deliver');
    expect(stream.events.map((e) => e.new?.title)).not.toContain('after-expiry');
    clock.stop();
    stream.stop();
  });

  it('stops streaming rows of a table whose grant was revoked from the role', async () => {
    await adminOk('mutation { createRole(input: { name: "temp_reader", permissions: [{ action: SELECT, resource: "esc:pings" }] }) { name } }');
    const user = await adminOk('mutation { createUser(input: { email: "temp@example.com", password: "password-123", roleName: "temp_reader" }) { id } }');
    const token = (await s.admin('mutation { signIn(email: "temp@example.com", password: "password-123") { token } }')).body.data!.signIn.token as string;
    expect(user.createUser.id).toBeTruthy();
    const stream = subscribe(connect(token), 'subscription { pingChanged(events: [INSERT]) { new { body } } }');
    let i = 0;
    while (!stream.events.some((e) => e.new?.body?.startsWith('rv-'))) {
      expect(i).toBeLessThan(40);
      await api(`mutation { insertPing(input: { body: "rv-${i++}" }) { id } }`, admin);
      await eventually(() => stream.events.length > 0 || stream.errors.length > 0, 'a ping', 250).catch(() => {});
    }
    await adminOk('mutation { updateRole(input: { name: "temp_reader", permissions: [] }) { name } }');
    // the role may no longer read pings: a query says so at once
    await eventuallyAsync(async () => (await s.gql('/projects/esc/graphql', '{ pings { body } }', {}, token)).body.errors !== undefined, 'the revoked grant on HTTP');
    const clock = subscribe(connect(admin), 'subscription { pingChanged(events: [INSERT]) { new { body } } }');
    let j = 0;
    while (!clock.events.some((e) => e.new?.body?.startsWith('clock-'))) {
      expect(j).toBeLessThan(40);
      await api(`mutation { insertPing(input: { body: "clock-${j++}" }) { id } }`, admin);
      await eventually(() => clock.events.length > 0, 'a clock ping', 250).catch(() => {});
    }
    await api('mutation { insertPing(input: { body: "after-revoke" }) { id } }', admin);
    await clock.until((e) => e.some((x) => x.new?.body === 'after-revoke'), 'after-revoke on the admin stream');
    await eventually(() => stream.completed || stream.errors.length > 0 || stream.events.some((x) => x.new?.body === 'after-revoke'), 'the revoked stream to end or deliver');
    expect(stream.events.map((e) => e.new?.body)).not.toContain('after-revoke');
    clock.stop();
    stream.stop();
  });

  it('keeps the connection of a valid long-lived token open (expiry timers beyond 2^31 ms)', async () => {
    const ann = users.ann!;
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    // valid for 40 days: KOYALITE_TOKEN_TTL may be that long, and so may an external issuer's tokens
    const longLived = await new SignJWT({ role: 'member' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('koyalite').setAudience('esc').setSubject(ann.id).setIssuedAt().setExpirationTime(Math.floor(Date.now() / 1000) + 40 * 86400).sign(key);
    expect((await s.gql('/projects/esc/graphql', '{ docsAggregate { count } }', {}, longLived)).body.errors).toBeUndefined();
    const client = connect(longLived);
    let closedWith: number | undefined;
    client.on('closed', (e) => (closedWith = (e as { code: number }).code));
    const stream = subscribe(client, 'subscription { docChanged { event new { title } } }');
    await probe(stream, ann.id);
    await insertDoc({ owner: ann.id, title: 'long-lived' });
    await stream.until((e) => e.some((x) => x.new?.title === 'long-lived'), 'long-lived');
    expect(closedWith).toBeUndefined();
    stream.stop();
  });

  it('hides the schema of a production project over the websocket, and runs only registered operations under the allow list', async () => {
    await adminOk('mutation { createRole(input: { name: "viewer", permissions: [{ action: SELECT, resource: "live:items" }] }) { name } }');
    await adminOk('mutation { createProject(input: { name: "Live", slug: "live", settings: { environment: PRODUCTION, allowSignUp: true, defaultRole: "viewer" } }) { slug } }');
    await adminOk('mutation { createTable(input: { projectSlug: "live", name: "items", columns: [{ name: "name", type: "text" }] }) { name } }');
    const signUp = await s.gql('/projects/live/graphql', 'mutation { signUp(email: "v@example.com", password: "password-123") { token } }');
    const viewer = signUp.body.data!.signUp.token as string;
    const client = connect(viewer, 'live');
    for (const query of [
      '{ __schema { types { name } } }',
      '{ __type(name: "Item") { fields { name } } }',
      'subscription { itemChanged { new { __typename } } __schema { queryType { name } } }',
    ]) {
      const r = await once(client, query);
      expect(r.data ?? null, query).toBeNull();
      expect(JSON.stringify(r), query).toMatch(/BAD_USER_INPUT/);
      expect(JSON.stringify(r), query).not.toMatch(/"Item"|"queryType":\{/);
    }
    // the admin still introspects
    const byAdmin = await once(connect(admin, 'live'), '{ __schema { queryType { name } } }');
    expect(byAdmin.data).toEqual({ __schema: { queryType: { name: 'Query' } } });

    const OP = 'subscription Items { itemChanged(events: [INSERT]) { event new { name } } }';
    await adminOk('mutation($q: String!) { registerOperation(input: { projectSlug: "live", name: "Items", query: $q }) { name } }', { q: OP });
    await adminOk('mutation { updateProject(input: { slug: "live", settings: { operationAllowList: true } }) { slug } }');
    // the schema swaps in the background: wait for HTTP to refuse an unregistered query
    await eventuallyAsync(async () => (await s.gql('/projects/live/graphql', '{ items { name } }', {}, viewer)).body.errors?.[0]?.extensions?.code === 'FORBIDDEN', 'the allow list on HTTP');
    const unregistered = await once(client, 'subscription { itemChanged { event new { name } } }');
    expect(unregistered.data ?? null).toBeNull();
    expect(JSON.stringify(unregistered)).toMatch(/FORBIDDEN/);
    const unknownHash = await once(client, '', undefined, { persistedQuery: { version: 1, sha256Hash: sha('subscription { itemChanged { event } }') } });
    expect(JSON.stringify(unknownHash)).toMatch(/PersistedQueryNotFound/);
    const wrongText = await once(client, 'subscription { itemChanged { event new { name } } }', undefined, { persistedQuery: { version: 1, sha256Hash: sha(OP) } });
    expect(JSON.stringify(wrongText)).toMatch(/BAD_USER_INPUT/);
    // the registered one runs, by hash alone and by its exact text
    const byHash = subscribe(client, '', undefined, { persistedQuery: { version: 1, sha256Hash: sha(OP) } });
    const byText = subscribe(client, OP);
    for (let i = 0; !(byHash.events.length > 0 && byText.events.length > 0); i++) {
      expect(byHash.errors).toEqual([]);
      expect(byText.errors).toEqual([]);
      expect(i).toBeLessThan(40);
      await api(`mutation { insertItem(input: { name: "live-${i}" }) { id } }`, admin, undefined, 'live');
      await eventually(() => byHash.events.length > 0 && byText.events.length > 0, 'both streams', 250).catch(() => {});
    }
    expect(byHash.events[0]).toMatchObject({ event: 'INSERT', new: { name: expect.stringMatching(/^live-\d+$/) } });
    byHash.stop();
    byText.stop();
  });

  it('answers malformed messages, unknown fields and bad arguments without internals, and stays up', async () => {
    const url = `${wsUrl}/projects/esc/graphql`;
    // not JSON
    const garbage = rawSocket(url);
    garbage.ws.on('open', () => garbage.ws.send('{not json'));
    await eventually(() => garbage.state.closed !== undefined, 'the garbage socket to close');
    expect(garbage.state.closed).toBe(4400);
    // subscribe before connection_init
    const early = rawSocket(url);
    early.ws.on('open', () => early.ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { docChanged { event } }' } })));
    await eventually(() => early.state.closed !== undefined, 'the early socket to close');
    expect(early.state.closed).toBe(4401);
    // a wrong subprotocol
    const wrong = rawSocket(url, 'graphql-ws');
    await eventually(() => wrong.state.closed !== undefined || wrong.state.error !== undefined, 'the wrong-protocol socket to close');
    expect(wrong.messages).toEqual([]);
    // bad shapes after the handshake
    const shaped = rawSocket(url);
    shaped.ws.on('open', () => shaped.ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${users.ann!.token}` } })));
    await eventually(() => shaped.messages.some((m) => m.type === 'connection_ack'), 'the ack');
    shaped.ws.send(JSON.stringify({ id: 'x', type: 'subscribe', payload: { query: 42 } }));
    await eventually(() => shaped.state.closed !== undefined, 'the bad-shape socket to close');
    expect(shaped.state.closed).toBe(4400);

    const client = connect(users.ann!.token);
    for (const query of [
      'subscription { nopeChanged { event } }',
      'subscription { docChanged(events: []) { event } }',
      'subscription { docChanged(events: [TRUNCATE]) { event } }',
      'subscription { docChanged(where: { nope: { eq: 1 } }) { event } }',
      'subscription { docChanged(where: { id: { eq: "not-a-uuid" } }) { event } }',
      'subscription { docChanged(where: { created_at: { gt: "yesterday" } }) { event } }',
      'subscription { docChanged { event } pingChanged { event } }',
      'subscription { docChanged { event new { nope } } }',
      'subscription {',
    ]) {
      const r = await once(client, query);
      const text = JSON.stringify(r);
      expect(r.data ?? null, query).toBeNull();
      expect(text, query).toMatch(/BAD_USER_INPUT/);
      expect(leaksInternals(text), `${query}: ${text}`).toBe(false);
    }
    // the server still streams and answers
    const stream = subscribe(client, 'subscription { docChanged { event new { title } } }');
    await probe(stream, users.ann!.id);
    stream.stop();
    expect((await s.gql('/projects/esc/graphql', '{ docsAggregate { count } }', {}, users.ann!.token)).status).toBe(200);
  });

  it('refuses a websocket message over the request body limit, as HTTP does (413)', async () => {
    const huge = 'h'.repeat(2 * 1024 * 1024);
    const http = await fetch(`${s.url}/projects/esc/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${users.ann!.token}` },
      body: JSON.stringify({ query: 'query($t: String!) { docs(where: { title: { eq: $t } }) { id } }', variables: { t: huge } }),
    });
    expect(http.status).toBe(413);
    const raw = rawSocket(`${wsUrl}/projects/esc/graphql`);
    raw.ws.on('open', () => raw.ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${users.ann!.token}` } })));
    await eventually(() => raw.messages.some((m) => m.type === 'connection_ack'), 'the ack');
    raw.ws.send(JSON.stringify({ id: 'big', type: 'subscribe', payload: { query: 'query($t: String!) { docs(where: { title: { eq: $t } }) { id } }', variables: { t: huge } } }));
    await eventually(() => raw.state.closed !== undefined || raw.messages.some((m) => m.id === 'big'), 'an answer to the 2 MB message');
    // refused: the socket closed (1009 message too big) or an error, never a result
    expect(raw.messages.filter((m) => m.id === 'big' && m.type === 'next')).toEqual([]);
    expect(raw.state.closed === 1009 || raw.messages.some((m) => m.id === 'big' && m.type === 'error')).toBe(true);
    raw.ws.close();
  });

  it('fans out to many subscribers, and releases listeners and the lease on unsubscribe, dispose and lost sockets', async () => {
    expect(await leases('beats')).toBe(0);
    const conns = Array.from({ length: 5 }, () => {
      const sockets: WebSocket[] = [];
      class Tracked extends WebSocket {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          sockets.push(this);
        }
      }
      const client = connect(users.ann!.token, 'esc', Tracked);
      const streams = Array.from({ length: 8 }, () => subscribe(client, 'subscription { beatChanged(events: [INSERT]) { new { body } } }'));
      return { client, streams, sockets };
    });
    const all = conns.flatMap((c) => c.streams);
    for (let i = 0; !all.every((x) => x.events.length > 0); i++) {
      expect(i).toBeLessThan(40);
      expect(all.flatMap((x) => x.errors)).toEqual([]);
      await api(`mutation { insertBeat(input: { body: "warm-${i}" }) { id } }`, users.ann!.token);
      await eventually(() => all.every((x) => x.events.length > 0), 'every stream', 250).catch(() => {});
    }
    await api('mutation { insertBeat(input: { body: "all-hear" }) { id } }', users.ann!.token);
    await eventually(() => all.every((x) => x.events.some((e) => e.new.body === 'all-hear')), 'all-hear on every stream');
    expect(all.map((x) => x.events.filter((e) => e.new.body === 'all-hear').length)).toEqual(all.map(() => 1));
    expect(await leases('beats')).toBe(1);
    // unsubscribe one by one; dispose a client; lose two sockets abruptly; keep one stream a while
    for (const x of conns[0]!.streams) x.stop();
    await conns[1]!.client.dispose();
    for (const c of [conns[2]!, conns[3]!]) for (const ws of c.sockets) ws.terminate();
    for (const x of conns[4]!.streams.slice(1)) x.stop();
    const last = conns[4]!.streams[0]!;
    await api('mutation { insertBeat(input: { body: "one-left" }) { id } }', users.ann!.token);
    await last.until((e) => e.some((x) => x.new.body === 'one-left'), 'one-left on the last stream');
    expect(await leases('beats')).toBe(1);
    expect(conns[0]!.streams.some((x) => x.events.some((e) => e.new.body === 'one-left'))).toBe(false);
    for (const ws of conns[4]!.sockets) ws.terminate();
    await eventuallyAsync(async () => (await leases('beats')) === 0, 'the beats lease to go');
    // the server answers as before
    const probeStream = subscribe(connect(users.ann!.token), 'subscription { docChanged { event new { title } } }');
    await probe(probeStream, users.ann!.id);
    probeStream.stop();
  });

  it('keeps streams running through metadata changes, applies a new deny policy at once, and ends a stream whose column is dropped cleanly', async () => {
    const ann = users.ann!;
    const plain = subscribe(connect(ann.token), 'subscription { docChanged { event new { title } } }');
    await probe(plain, ann.id);
    await adminOk('mutation { addColumn(input: { projectSlug: "esc", table: "docs", name: "extra", type: "text", defaultValue: "x" }) { name } }');
    await eventuallyAsync(async () => (await s.gql('/projects/esc/graphql', '{ docs(limit: 1) { extra } }', {}, ann.token)).body.errors === undefined, 'the new column on HTTP');
    await insertDoc({ owner: ann.id, title: 'after-add' });
    await plain.until((e) => e.some((x) => x.new?.title === 'after-add'), 'after-add on the stream opened before');
    const withExtra = subscribe(connect(ann.token), 'subscription { docChanged { event new { title extra } } }');
    await probe(withExtra, ann.id);
    expect(withExtra.events.at(-1)!.new.extra).toBe('x');
    // a deny policy created while subscribed applies to the next change
    await adminOk('mutation { createPolicy(input: { projectSlug: "esc", table: "docs", name: "no_late", check: "title like \'late%\'", effect: DENY }) { name } }');
    await insertDoc({ owner: ann.id, title: 'late-1' });
    await insertDoc({ owner: ann.id, title: 'after-deny' });
    await plain.until((e) => e.some((x) => x.new?.title === 'after-deny'), 'after-deny');
    expect(plain.events.map((e) => e.new?.title)).not.toContain('late-1');
    await adminOk('mutation { deletePolicy(input: { projectSlug: "esc", table: "docs", name: "no_late" }) { name } }');
    // drop the column one stream selects: that stream ends without internals, the other goes on
    await adminOk('mutation { dropColumn(input: { projectSlug: "esc", table: "docs", name: "extra" }) { name } }');
    await eventuallyAsync(async () => (await s.gql('/projects/esc/graphql', '{ docs(limit: 1) { extra } }', {}, ann.token)).body.errors !== undefined, 'the dropped column on HTTP');
    await insertDoc({ owner: ann.id, title: 'after-drop' });
    await plain.until((e) => e.some((x) => x.new?.title === 'after-drop'), 'after-drop on the plain stream');
    await eventually(() => withExtra.completed || withExtra.errors.length > 0 || withExtra.events.some((x) => x.new?.title === 'after-drop'), 'the stream selecting extra to react');
    expect(leaksInternals(JSON.stringify(withExtra.errors))).toBe(false);
    plain.stop();
    withExtra.stop();
  });

  it('applies the project rate limit to operations over the websocket', async () => {
    await adminOk('mutation { createProject(input: { name: "Slow", slug: "slow", settings: { rateLimits: { requestsPerSecond: 1, burstSize: 3 } } }) { slug } }');
    await adminOk('mutation { createTable(input: { projectSlug: "slow", name: "items", columns: [{ name: "name", type: "text" }] }) { name } }');
    const http = await Promise.all(Array.from({ length: 10 }, () => s.gql('/projects/slow/graphql', '{ itemsAggregate { count } }', {}, admin)));
    expect(http.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    const client = connect(admin, 'slow');
    const overWs = await Promise.all(Array.from({ length: 20 }, () => once(client, '{ itemsAggregate { count } }')));
    expect(overWs.filter((r) => JSON.stringify(r).includes('RATE_LIMITED')).length).toBeGreaterThan(0);
  });

  it('finishes app.close() with open sockets and live streams', async () => {
    const t = await startTestServer(engine);
    try {
      const token = await t.signInAdmin();
      for (const q of [
        'mutation { createProject(input: { name: "Bye", slug: "bye" }) { slug } }',
        'mutation { createTable(input: { projectSlug: "bye", name: "notes", columns: [{ name: "body", type: "text" }] }) { name } }',
      ]) {
        expect((await t.admin(q, {}, token)).body.errors).toBeUndefined();
      }
      const client = createClient({ url: `${t.url.replace('http', 'ws')}/projects/bye/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
      let closed = false;
      client.on('closed', () => (closed = true));
      const seen: string[] = [];
      for (let n = 0; n < 3; n++) client.subscribe<{ noteChanged: { new: { body: string } } }>({ query: 'subscription { noteChanged { new { body } } }' }, { next: (r) => seen.push(r.data!.noteChanged.new.body), error: () => {}, complete: () => {} });
      for (let i = 0; seen.length < 3; i++) {
        expect(i).toBeLessThan(40);
        await t.gql('/projects/bye/graphql', `mutation { insertNote(input: { body: "bye-${i}" }) { id } }`, {}, token);
        await eventually(() => seen.length >= 3, 'the streams', 250).catch(() => {});
      }
      // a burst of writes still being answered while the server closes
      await Promise.all(Array.from({ length: 5 }, (_, i) => t.gql('/projects/bye/graphql', `mutation { insertNote(input: { body: "burst-${i}" }) { id } }`, {}, token)));
      let done = false;
      const closing = t.app.close().then(() => (done = true));
      await eventually(() => done, 'app.close() to finish', 15_000);
      await closing;
      await eventually(() => closed, 'the client to see the socket close');
    } finally {
      await Promise.race([t.close(), new Promise((r) => setTimeout(r, 15_000))]);
    }
  });

  it('commits mutations sent over the websocket and keeps the server answering', async () => {
    // its own server: a transaction left open would stall the shared one
    const t = await startTestServer(engine);
    const within = <T,>(p: Promise<T>, ms = 5_000) => Promise.race([p, new Promise<'TIMEOUT'>((r) => setTimeout(() => r('TIMEOUT'), ms))]);
    const client = createClient({ url: `${t.url.replace('http', 'ws')}/projects/wsm/graphql`, webSocketImpl: WebSocket, connectionParams: {}, retryAttempts: 0, lazy: true, lazyCloseTimeout: 60_000 });
    try {
      const token = await t.signInAdmin();
      for (const q of [
        'mutation { createRole(input: { name: "writer", permissions: [{ action: MANAGE, resource: "wsm:notes" }] }) { name } }',
        'mutation { createProject(input: { name: "WsM", slug: "wsm", settings: { allowSignUp: true, defaultRole: "writer" } }) { slug } }',
        'mutation { createTable(input: { projectSlug: "wsm", name: "notes", columns: [{ name: "body", type: "text" }] }) { name } }',
      ]) {
        expect((await t.admin(q, {}, token)).body.errors).toBeUndefined();
      }
      const up = await t.gql('/projects/wsm/graphql', 'mutation { signUp(email: "w@example.com", password: "password-123") { token } }');
      const user = up.body.data!.signUp.token as string;
      const userClient = createClient({ url: `${t.url.replace('http', 'ws')}/projects/wsm/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${user}` }, retryAttempts: 0, lazy: true, lazyCloseTimeout: 60_000 });
      clients.push(userClient);
      const answers: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        answers.push(await within(once(userClient, `mutation { insertNote(input: { body: "ws-${i}" }) { body } }`)));
      }
      // a batch whose second field fails: nothing of it may persist
      answers.push(await within(once(userClient, 'mutation { a: insertNote(input: { body: "ws-rolled-back" }) { body } b: insertNote(input: { id: "not-a-uuid", body: "x" }) { body } }')));
      expect(JSON.stringify(answers.slice(0, 3))).toBe(JSON.stringify([0, 1, 2].map((i) => ({ data: { insertNote: { body: `ws-${i}` } } }))));
      const read = await within(t.gql('/projects/wsm/graphql', '{ notes { body } }', {}, user));
      expect(read).not.toBe('TIMEOUT');
      expect(((read as unknown as { body: { data: { notes: Array<{ body: string }> } } }).body.data.notes.map((n) => n.body)).sort()).toEqual(['ws-0', 'ws-1', 'ws-2']);
    } finally {
      await client.dispose();
      // a server holding a transaction open cannot close: give it a while, then leave it
      await Promise.race([t.close(), new Promise((r) => setTimeout(r, 10_000))]);
    }
  });

  it('shows nothing of a table with row-level security on and no select policy', async () => {
    const ann = users.ann!;
    // an insert-only allow policy does not make rows readable
    await adminOk('mutation { createPolicy(input: { projectSlug: "esc", table: "vaults", name: "own_insert", check: "owner = auth.uid()", command: INSERT }) { name } }');
    const stream = subscribe(connect(ann.token), 'subscription { vaultChanged { event new { label } old { label } } }');
    // liveness: the lease exists once the server registered the stream
    await eventuallyAsync(async () => (await leases('vaults')) > 0, 'the vaults lease');
    const id = (await api('mutation($o: UUID!) { insertVault(input: { owner: $o, label: "hidden-1" }) { id } }', admin, { o: ann.id })).insertVault.id as string;
    await api('mutation($id: UUID!) { updateVault(id: $id, set: { label: "hidden-2" }) { id } }', admin, { id });
    await api('mutation($id: UUID!) { deleteVault(id: $id) { id } }', admin, { id });
    // now a select policy for markers only: the marker arrives, after everything written before it
    await adminOk('mutation { createPolicy(input: { projectSlug: "esc", table: "vaults", name: "markers", check: "label like \'marker%\'", command: SELECT }) { name } }');
    for (let i = 0; !stream.events.some((e) => e.new?.label?.startsWith('marker')); i++) {
      expect(i).toBeLessThan(40);
      expect(stream.errors).toEqual([]);
      await api(`mutation($o: UUID!) { insertVault(input: { owner: $o, label: "marker-${i}" }) { id } }`, admin, { o: ann.id });
      await eventually(() => stream.events.length > 0, 'a marker', 250).catch(() => {});
    }
    expect(JSON.stringify(stream.events)).not.toMatch(/hidden/);
    stream.stop();
  });

  it('answers operations over the abuse limits with BAD_USER_INPUT, keeping the connection and its streams', async () => {
    const ann = users.ann!;
    const client = connect(ann.token);
    let closedWith: number | undefined;
    client.on('closed', (e) => (closedWith = (e as { code: number }).code));
    const stream = subscribe(client, 'subscription { docChanged { event new { title } } }');
    await probe(stream, ann.id);
    for (const query of [
      `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: docsAggregate { count }`).join(' ')} }`, // more aliases than maxAliases (30)
      `subscription { docChanged { new { ${'team { docs { '.repeat(7)} title ${'} } '.repeat(7)} } } }`, // deeper than maxDepth (12)
    ]) {
      const r = await once(client, query);
      const text = JSON.stringify(r);
      expect(r.data ?? null, query).toBeNull();
      expect(text, query.slice(0, 60)).toMatch(/BAD_USER_INPUT/);
      expect(leaksInternals(text)).toBe(false);
    }
    await insertDoc({ owner: ann.id, title: 'after-limits' });
    await stream.until((e) => e.some((x) => x.new?.title === 'after-limits'), 'after-limits on the stream of the same connection');
    expect(closedWith).toBeUndefined();
    stream.stop();
  });

  it('audits subscription reads in a hipaa project, as it audits queries', async () => {
    const reads = async () =>
      Number((await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM koyalite.audit_logs WHERE action = 'data.read' AND metadata::text LIKE '%visitChanged%'`))[0]!.n);
    const queries = async () => Number((await s.app.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM koyalite.audit_logs WHERE action = 'data.read' AND metadata::text LIKE '%visits%'`))[0]!.n);
    const before = await queries();
    await api('{ visits { note } }', admin, undefined, 'clinic');
    expect(await queries()).toBe(before + 1);
    const stream = subscribe(connect(admin, 'clinic'), 'subscription { visitChanged { event new { note } } }');
    for (let i = 0; stream.events.length === 0; i++) {
      expect(i).toBeLessThan(40);
      await api(`mutation { insertVisit(input: { note: "visit-${i}" }) { id } }`, admin, undefined, 'clinic');
      await eventually(() => stream.events.length > 0 || stream.errors.length > 0, 'a visit', 250).catch(() => {});
    }
    expect(stream.errors).toEqual([]);
    // PHI went out over the stream: the read is on record
    expect(await reads()).toBeGreaterThan(0);
    stream.stop();
  });
});
