import { describe, expect, it } from 'vitest';
import { buildModel } from './build-model.js';
import { snapshot, table } from './build-model.fixtures.js';
import { roleView } from './role-view.js';
import type { SnapshotVectorIndex } from './snapshot.js';

describe('buildModel: vector indexes', () => {
  const docs = (indexes: SnapshotVectorIndex[]) => ({ ...table('docs', [['title', 'text'], ['embedding', 'vector(3)']]), vectorIndexes: indexes });
  const index = (over: Partial<SnapshotVectorIndex> = {}): SnapshotVectorIndex => ({ name: 'by_meaning', embeddingColumn: 'embedding', dimensions: 3, metric: 'COSINE', ...over });

  it('gives a table its index, with the engine’s way of searching', () => {
    for (const vectorExtension of [true, false]) {
      const m = buildModel({ ...snapshot([docs([index({ metric: 'L2' })])]), vectorExtension });
      const v = m.tablesByName.get('docs')!.vectorIndex!;
      expect(v).toMatchObject({ name: 'by_meaning', dimensions: 3, metric: 'L2', pgvector: vectorExtension });
      expect(v.column.name).toBe('embedding');
      expect(m.diagnostics).toEqual([]);
    }
    expect(buildModel(snapshot([table('notes', [['title', 'text']])])).tablesByName.get('notes')!.vectorIndex).toBeNull();
  });

  it.each([
    ['a missing column', index({ embeddingColumn: 'nope' })],
    ['a column that is no vector', index({ embeddingColumn: 'title' })],
    ['other dimensions', index({ dimensions: 4 })],
  ])('leaves out an index on %s, with an error naming it', (_what, bad) => {
    const m = buildModel(snapshot([docs([bad])]));
    expect(m.tablesByName.get('docs')!.vectorIndex).toBeNull();
    expect(m.diagnostics).toEqual([expect.objectContaining({ severity: 'error', table: 'docs', message: expect.stringContaining('by_meaning') })]);
  });

  it('keeps the index in a role view only when the role may read the embedding', () => {
    const m = buildModel(snapshot([docs([index()])]));
    const slug = m.slug;
    expect(roleView(m, [{ action: 'SELECT', resource: `${slug}:docs` }]).tablesByName.get('docs')!.vectorIndex).not.toBeNull();
    expect(roleView(m, [{ action: 'SELECT', resource: `${slug}:docs.embedding` }]).tablesByName.get('docs')!.vectorIndex).not.toBeNull();
    expect(roleView(m, [{ action: 'SELECT', resource: `${slug}:docs.title` }]).tablesByName.get('docs')!.vectorIndex).toBeNull();
  });
});
