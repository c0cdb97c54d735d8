/**
 * How golden files render what a request did.
 *
 *   SELECT
 *     json_build_object(…)::text AS body;
 *   -- $1 = "Hello world"
 *   -- $2 = 5
 *
 * Statements are pretty-printed by sql-formatter (PostgreSQL dialect), each ending with `;`
 * and followed by its bind parameters, one per line, JSON-encoded (`-- no parameters` when
 * none). The formatter only moves whitespace: formatSql checks that, so a golden file can never
 * show SQL other than the SQL that ran.
 */
import { format } from 'sql-formatter';

const squeeze = (s: string) => s.replace(/\s+/g, '');

export function formatSql(text: string): string {
  const pretty = format(text, { language: 'postgresql', keywordCase: 'preserve', tabWidth: 2 });
  if (squeeze(pretty) !== squeeze(text)) {
    throw new Error(`sql-formatter changed more than whitespace in:\n${text}\n---\n${pretty}`);
  }
  return pretty;
}

function jsonValue(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
}

export function formatParams(values: readonly unknown[]): string {
  if (values.length === 0) return '-- no parameters';
  return values.map((v, i) => `-- $${i + 1} = ${jsonValue(v)}`).join('\n');
}

/** Every statement of a request, in execution order, as one golden `.sql` text. */
export function formatStatements(statements: ReadonlyArray<{ text: string; values: readonly unknown[] }>): string {
  if (statements.length === 0) return '-- no statements\n';
  return `${statements.map((s) => `${formatSql(s.text)};\n${formatParams(s.values)}\n`).join('\n')}`;
}

/** A response body as golden `.json` text: two-space indent, key order as received. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
