import type { Context } from 'hono';
import type * as v from 'valibot';
import { checkInput } from './check.ts';

/** Checks the query parameters (each a string, the last of a repeated one) with `schema`. */
export function readQuery<S extends v.GenericSchema>(c: Context, schema: S, verb?: string): v.InferOutput<S> {
  return checkInput(schema, c.req.query(), verb);
}
