/** Does an operation's IR output any encrypted column (anywhere in its selections)? */
import type { FieldSelection, MutationOperation, ObjectSelection, RootOperation } from '../ir/ir.js';

function inObject(sel: ObjectSelection): boolean {
  return sel.fields.some(inField);
}

function inField(f: FieldSelection): boolean {
  switch (f.kind) {
    case 'column':
      return f.column.encrypted;
    case 'constant':
      return false;
    case 'one':
      return inObject(f.selection);
    case 'many':
      return inObject(f.query.selection);
    case 'aggregate':
      return false;
  }
}

export function selectsEncrypted(op: RootOperation | MutationOperation): boolean {
  switch (op.kind) {
    case 'list':
      return inObject(op.query.selection);
    case 'byPk':
      return inObject(op.selection);
    case 'aggregate':
      return false;
    case 'connection':
      return op.query.fields.some((f) => f.kind === 'edges' && f.fields.some((e) => e.kind === 'node' && inObject(e.selection)));
    case 'similar':
      return op.query.fields.some((f) => f.kind === 'node' && inObject(f.selection));
    default:
      return op.returning.kind === 'row' ? inObject(op.returning.selection) : op.returning.fields.some((f) => f.kind === 'returning' && inObject(f.selection));
  }
}
