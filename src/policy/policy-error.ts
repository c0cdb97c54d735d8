/**
 * PolicyError: a policy expression that cannot be saved. A BAD_USER_INPUT KoyaError whose
 * message ends with the place ("(line 1, column 12)"); `reason` is the message without it and
 * `position` the place as data (also in `details` for the API's error extensions).
 */
import { KoyaError } from '../lib/errors.js';
import type { Position } from './ast.js';

export class PolicyError extends KoyaError {
  readonly position: Position;
  readonly reason: string;

  constructor(reason: string, position: Position) {
    super('BAD_USER_INPUT', `${reason} (line ${position.line}, column ${position.column})`, {
      details: { position: { offset: position.offset, line: position.line, column: position.column }, reason },
    });
    this.name = 'PolicyError';
    this.position = position;
    this.reason = reason;
  }
}
