/**
 * The import rule of ../shared/ARCHITECTURE.md ("Folders under src/ and who may import whom"),
 * checked mechanically over every non-test .ts file under src/<folder>/ (src/meta/generated/ is
 * Prisma's output and skipped). Imports are read with the TypeScript parser, not a regex:
 *   import … from '…'   import type … from '…'   export … from '…'   import '…'
 *   import('…')         import('…').T (in a type position: type-only)
 * `import type` counts like any other import, except where the table says "(types)".
 *
 * Three rules:
 * 1. a relative import stays in its folder or goes to a folder its folder may import (RULES);
 * 2. nothing imports src/server/ except src/server/ and src/cli/ (composition roots);
 * 3. the pure folders (lib, model, policy, ir, sql) import no package but PURE_PACKAGES.
 * Violations that exist today are listed in ALLOWED, each with why it exists: the test passes
 * with them, fails on any new one, and fails on an ALLOWED entry that no longer happens (so the
 * list only shrinks).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// ---------------------------------------------------------------------------------------------
// Existing violations (file → specifier). Remove an entry when the import goes away.
// ---------------------------------------------------------------------------------------------
// typeOnly: the entry covers the import only while it stays `import type` (a value import fails).
const ALLOWED: ReadonlyArray<{ file: string; specifier: string; typeOnly: boolean; why: string }> = [];

// ---------------------------------------------------------------------------------------------
// The table. '*' = composition root (may import everything).
// ---------------------------------------------------------------------------------------------
const RULES: Readonly<Record<string, readonly string[] | '*'>> = {
  lib: [],
  config: ['lib'],
  model: ['lib'],
  policy: ['lib', 'model'],
  ir: ['lib', 'model', 'policy'],
  sql: ['lib', 'model', 'ir'],
  db: ['lib', 'config', 'sql'],
  meta: ['lib', 'config', 'model'],
  auth: ['lib', 'config', 'meta'],
  graphql: ['lib', 'model', 'policy', 'ir', 'sql', 'db'],
  realtime: ['lib', 'graphql', 'db', 'auth'],
  workers: ['lib', 'config', 'meta', 'db'],
  admin: ['lib', 'config', 'meta', 'model', 'policy', 'auth', 'db'],
  server: '*',
  // not in the table: the `koyalite` command is a second composition root, like server/
  cli: '*',
};

/** folder → folders it may import with type-only imports alone ("model (types)" in the table) */
const TYPES_ONLY: Readonly<Record<string, readonly string[]>> = {
  meta: ['model'],
};

/** Folders that may import src/server/. */
const SERVER_IMPORTERS = new Set(['server', 'cli']);

const PURE = new Set(['lib', 'model', 'policy', 'ir', 'sql']);

/**
 * The only packages the pure folders may import. Everything else fails — in particular
 * graphql / graphql-*, @pothos/*, @prisma/*, prisma, pg, @electric-sql/pglite, pino, jose, ws,
 * and the I/O builtins (node:fs, node:net, node:http, node:child_process, …).
 * - pluralize: string rules for singular/plural table names (model/inflection.ts); no I/O, no deps.
 * - node:crypto: AES-256-GCM over values in memory and random IVs (lib/column-cipher.ts); no
 *   files, sockets or processes.
 */
const PURE_PACKAGES = new Set(['pluralize', 'node:crypto']);

// ---------------------------------------------------------------------------------------------

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'src');
const rel = (abs: string) => path.relative(root, abs).split(path.sep).join('/');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) return rel(abs) === 'src/meta/generated' ? [] : walk(abs);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [rel(abs)] : [];
  });
}

const files = walk(src).sort();

interface Import {
  specifier: string;
  typeOnly: boolean;
  line: number;
}

/** Every module specifier a file names; `specifier` is '<non-literal>' for import(expr). */
function importsOf(file: string, text = readFileSync(path.join(root, file), 'utf8')): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Import[] = [];
  const add = (node: ts.Node, specifier: ts.Node | undefined, typeOnly: boolean) => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    out.push({ specifier: specifier && ts.isStringLiteralLike(specifier) ? specifier.text : '<non-literal>', typeOnly, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const allTypeNames =
        c !== undefined && !c.name && c.namedBindings !== undefined && ts.isNamedImports(c.namedBindings) &&
        c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, c !== undefined && (c.isTypeOnly || allTypeNames));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const e = node.exportClause;
      const allTypeNames = e !== undefined && ts.isNamedExports(e) && e.elements.length > 0 && e.elements.every((x) => x.isTypeOnly);
      add(node, node.moduleSpecifier, node.isTypeOnly || allTypeNames);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const folderOf = (file: string): string | undefined => {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1] : undefined;
};

/** What is wrong with each import of a file (one line each), before the allow-list. */
function violationsOf(file: string): Array<{ specifier: string; typeOnly: boolean; message: string }> {
  const from = folderOf(file);
  const found: Array<{ specifier: string; typeOnly: boolean; message: string }> = [];
  const bad = (i: Import, why: string) => found.push({ specifier: i.specifier, typeOnly: i.typeOnly, message: `${file}:${i.line} imports '${i.specifier}': ${why}` });
  if (from === undefined || !(from in RULES)) {
    found.push({ specifier: '', typeOnly: false, message: `${file} is not in a folder of the ARCHITECTURE table (add the folder to RULES)` });
    return found;
  }
  const rule = RULES[from]!;
  for (const i of importsOf(file)) {
    if (i.specifier === '<non-literal>') {
      bad(i, 'dynamic import of a computed specifier cannot be checked');
      continue;
    }
    if (i.specifier.startsWith('.')) {
      const target = rel(path.resolve(root, path.dirname(file), i.specifier));
      if (!target.startsWith('src/')) {
        bad(i, `reaches outside src/ (${target})`);
        continue;
      }
      const to = folderOf(target);
      if (to === from) continue;
      if (to === 'server' && !SERVER_IMPORTERS.has(from)) {
        bad(i, 'nothing imports server/ but server/ and cli/');
        continue;
      }
      if (rule === '*') continue;
      if (to !== undefined && rule.includes(to)) {
        if ((TYPES_ONLY[from] ?? []).includes(to) && !i.typeOnly) bad(i, `${from}/ may import ${to}/ for types only (use import type)`);
        continue;
      }
      bad(i, `${from}/ may import ${rule.length > 0 ? rule.join(', ') : 'nothing internal'}, not ${to ?? target}/${i.typeOnly ? ' (even type-only)' : ''}`);
      continue;
    }
    if (PURE.has(from) && !PURE_PACKAGES.has(i.specifier)) {
      bad(i, `${from}/ is pure: packages other than ${[...PURE_PACKAGES].join(', ')} are not allowed`);
    }
  }
  return found;
}

const isAllowed = (file: string, v: { specifier: string; typeOnly: boolean }) =>
  ALLOWED.some((a) => a.file === file && a.specifier === v.specifier && (!a.typeOnly || v.typeOnly));

describe('layer imports (ARCHITECTURE.md)', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('src/sql/select-compiler.ts');
    expect(files.some((f) => f.startsWith('src/meta/generated/'))).toBe(false);
    expect(files.some((f) => f.endsWith('.test.ts'))).toBe(false);
  });

  it.each(files)('%s imports only what its layer may', (file) => {
    const violations = violationsOf(file)
      .filter((v) => !isAllowed(file, v))
      .map((v) => v.message);
    expect(violations).toEqual([]);
  });

  it.each(ALLOWED.map((a) => [a.file, a.specifier] as const))('allow-listed %s → %s still happens (else remove it)', (file, specifier) => {
    expect(violationsOf(file).map((v) => v.specifier)).toContain(specifier);
  });

  it('every folder under src/ is in the table', () => {
    const folders = readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !(f in RULES))).toEqual([]);
  });

  // the checker itself: every form of import is seen, and type-only ones are told apart
  it('reads every form of import', () => {
    const sample = [
      "import a from './a.js';",
      "import { b, type B } from './b.js';",
      "import type { C } from './c.js';",
      "import { type D } from './d.js';",
      "import * as e from './e.js';",
      "import './f.js';",
      "export { g } from './g.js';",
      "export type { H } from './h.js';",
      "export * from './i.js';",
      "const j = await import('./j.js');",
      "let k: import('./k.js').K;",
      "const l = await import(name);",
      'import {',
      '  m,',
      "} from './m.js';",
    ].join('\n');
    expect(importsOf('src/x/sample.ts', sample).map((i) => [i.specifier, i.typeOnly])).toEqual([
      ['./a.js', false],
      ['./b.js', false],
      ['./c.js', true],
      ['./d.js', true],
      ['./e.js', false],
      ['./f.js', false],
      ['./g.js', false],
      ['./h.js', true],
      ['./i.js', false],
      ['./j.js', false],
      ['./k.js', true],
      ['<non-literal>', false],
      ['./m.js', false],
    ]);
  });
});
