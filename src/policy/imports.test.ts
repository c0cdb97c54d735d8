/**
 * policy/ is pure (ARCHITECTURE.md): it may import only lib/, model/ and itself, and no package
 * (no graphql-js, no Prisma, no drivers); tests may import vitest besides.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).filter((f) => f.endsWith('.ts'));
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

describe('policy/ imports', () => {
  it.each(files)('%s imports only lib, model and policy', (file) => {
    const source = readFileSync(join(here, file), 'utf8');
    const specifiers = [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!);
    const isTest = file.endsWith('.test.ts');
    for (const s of specifiers) {
      const allowed = /^\.\/[\w.-]+\.js$/.test(s) || /^\.\.\/(lib|model)\/[\w.-]+\.js$/.test(s) || (isTest && (s === 'vitest' || (file === 'imports.test.ts' && s.startsWith('node:'))));
      expect(allowed, `${file} imports ${s}`).toBe(true);
    }
  });
});
