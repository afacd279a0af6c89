/**
 * A mistake of the person calling (the wrong profile for this action, a record that does not
 * validate), not a fault of Vigie: the dispatcher answers it as `bad_request` with this sentence,
 * which must say what to do, and logs no stack trace. Anything else a handler throws stays `internal`.
 */
export class UserError extends Error {
  override name = 'UserError';
}
