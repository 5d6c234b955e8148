import { z } from "zod";

/**
 * A `?limit=` query parameter: a whole number from 1 to `max`, `fallback` when absent; anything
 * else is refused naming the range (a 400 through `validate`).
 *
 * @example
 * ```ts
 * const querySchema = z.object({ limit: pageSizeSchema(50, 100) });
 * ```
 */
export const pageSizeSchema = (fallback: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from 1 to ${max}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `must be a whole number from 1 to ${max}`)
    .optional()
    .transform((n) => n ?? fallback);
