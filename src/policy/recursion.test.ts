import { describe, expect, it } from 'vitest';
import { describePolicyRecursion, findPolicyRecursion, type PolicyCommand, type PolicyReads } from './recursion.js';

const p = (table: string, command: PolicyCommand, reads: string[], enabled = true): PolicyReads => ({ table, command, reads, enabled });
const allRls = () => true;

describe('findPolicyRecursion', () => {
  const cases: [name: string, policies: PolicyReads[], expected: ReturnType<typeof findPolicyRecursion>, rls?: (t: string) => boolean][] = [
    ['no policies', [], null],
    ['policies without exists', [p('workflows', 'ALL', []), p('tenant_members', 'SELECT', [])], null],
    ['a chain that ends in plain policies', [p('workflows', 'SELECT', ['tenant_members']), p('tenant_members', 'SELECT', [])], null],
    ['a chain through a table without policies', [p('workflows', 'ALL', ['tenant_members'])], null],
    ['a select policy reading its own table', [p('tenant_members', 'ALL', ['tenant_members'])], { command: 'SELECT', path: ['tenant_members', 'tenant_members'] }],
    ['select policies reading in a circle', [p('a', 'SELECT', ['b']), p('b', 'ALL', ['c']), p('c', 'SELECT', ['a'])], { command: 'SELECT', path: ['a', 'b', 'c', 'a'] }],
    ['a circle that passes a table without row-level security', [p('a', 'SELECT', ['b']), p('b', 'SELECT', ['a'])], null, (t) => t !== 'b'],
    ['a disabled policy closes no circle', [p('a', 'SELECT', ['b']), p('b', 'SELECT', ['a'], false)], null],
    // writes: the inner read of the same table applies its SELECT policies only
    ['an insert policy reading its own table whose select policies read nothing', [p('tenant_members', 'INSERT', ['tenant_members']), p('tenant_members', 'SELECT', [])], null],
    [
      'an insert policy reading its own table whose select policies read another table',
      [p('tenant_members', 'INSERT', ['tenant_members']), p('tenant_members', 'SELECT', ['tenants'])],
      { command: 'INSERT', path: ['tenant_members', 'tenant_members'] },
    ],
    [
      'an update policy reaching back through another table',
      [p('a', 'UPDATE', ['b']), p('b', 'SELECT', ['a']), p('a', 'SELECT', ['c'])],
      { command: 'UPDATE', path: ['a', 'b', 'a'] },
    ],
    ['an update policy reaching a table whose select policies do not read back', [p('a', 'UPDATE', ['b']), p('b', 'SELECT', ['c']), p('a', 'SELECT', ['c'])], null],
    ['a delete policy reading its own table, select policies plain', [p('a', 'DELETE', ['a']), p('a', 'SELECT', [])], null],
  ];
  it.each(cases)('%s', (_name, policies, expected, rls = allRls) => {
    expect(findPolicyRecursion(policies, rls)).toEqual(expected);
  });

  it('describes what to change', () => {
    expect(describePolicyRecursion({ command: 'SELECT', path: ['a', 'b', 'a'] })).toMatch(
      /would make Postgres refuse select queries with "infinite recursion detected in policy": a → b → a .*drop the exists\(…\) from the select policies of a/,
    );
  });
});
