import type { z } from "zod";
import { ApiError } from "./api-error.ts";

/** One problem with a request, as listed in an error's `details`. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** Turns zod issues into `path: message` problems a client can act on. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root = "(body)"): FieldProblem[] {
  const pathOf = (parts: readonly PropertyKey[]) => (parts.length > 0 ? parts.map(String).join(".") : root);
  return issues.flatMap((issue) =>
    // Name each unknown field on its own, the way a typo is best pointed at.
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: "unknown field" }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}

/**
 * Validates `input` against `schema`, throwing a 400 `invalid_request` {@link ApiError}
 * whose message names every problem (`user: required; message: must not be empty`).
 *
 * @example
 * ```ts
 * const { limit } = validate(querySchema, c.req.query());
 * ```
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, root?: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = describeIssues(parsed.error.issues, root);
  const message = details.map((d) => `${d.path}: ${d.message}`).join("; ");
  throw new ApiError(400, "invalid_request", message, { details });
}
