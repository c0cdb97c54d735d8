import { describe, expect, it } from 'vitest';
import { policyReferences } from './references.js';

describe('policyReferences', () => {
  it('names the tables read through exists and every column with its table', () => {
    const r = policyReferences(
      'workflows',
      "archived = false and exists(tenant_members where tenant_members.tenant_id = tenant_id and tenant_members.user_id = auth.uid() and tenant_members.status in ('active'))",
    );
    expect([...r.tables]).toEqual(['tenant_members']);
    expect([...r.columns].sort()).toEqual(['tenant_members.status', 'tenant_members.tenant_id', 'tenant_members.user_id', 'workflows.archived', 'workflows.tenant_id']);
  });

  it('does not mistake words inside string literals or claim names for columns', () => {
    const r = policyReferences('notes', "body like 'owner%' and auth.claim('owner') = 'x'");
    expect([...r.columns]).toEqual(['notes.body']);
    expect(r.tables.size).toBe(0);
  });

  it('follows nested exists to the innermost table of a qualified name', () => {
    const r = policyReferences('a', 'exists(b where b.a_id = id and exists(c where c.b_id = b.id and c.flag is not null))');
    expect([...r.tables].sort()).toEqual(['b', 'c']);
    expect([...r.columns].sort()).toEqual(['a.id', 'b.a_id', 'b.id', 'c.b_id', 'c.flag']);
  });
});
