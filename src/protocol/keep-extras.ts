import * as z from 'zod';

/**
 * The object policy of every built-in catalogue: validate what is declared, keep what is not.
 * At run time this is `z.looseObject` (a field the server adds reaches the handler, nested
 * objects too when they are built with it); the TypeScript type lists the declared fields
 * only, so a misspelt field stays a compile error. Declare a field (an `events` override) to
 * have it typed. In your own catalogue, `z.object` strips undeclared fields and
 * `z.strictObject` rejects them (see docs/validation.md).
 * @category Protocol
 */
export function keepExtras<T extends z.core.$ZodLooseShape>(shape: T): z.ZodObject<T, z.core.$strip> {
  // The declared return type narrows the static type only: the schema is loose at run time.
  return z.looseObject(shape);
}
