import type { z } from "zod";
import { ApiError } from "./api-error.ts";

/** One problem with a request, as listed in an error's `details`. */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * The most problems one error names. The rest are counted, not listed: a body of 45 KB with 5,000
 * unknown fields was answered with 323 KB naming each, an answer seven times the request.
 */
export const MAX_LISTED_PROBLEMS = 20;

/** The longest field path an error repeats: a client's key can be as long as its body. */
export const MAX_PATH_CHARS = 100;

const shortened = (path: string) => (path.length <= MAX_PATH_CHARS ? path : `${path.slice(0, MAX_PATH_CHARS)}…`);

/** Turns zod issues into `path: message` problems a client can act on, each path cut to {@link MAX_PATH_CHARS}. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root = "(body)"): FieldProblem[] {
  const pathOf = (parts: readonly PropertyKey[]) => (parts.length > 0 ? shortened(parts.map(String).join(".")) : root);
  return issues.flatMap((issue) =>
    // Name each unknown field on its own, the way a typo is best pointed at.
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: "unknown field" }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}

/**
 * Validates `input` against `schema`, throwing a 400 `invalid_request` {@link ApiError}
 * whose message and `details` name every problem (`user: required; message: must not be empty`),
 * up to {@link MAX_LISTED_PROBLEMS}, then how many more there are.
 *
 * @example
 * ```ts
 * const { limit } = validate(querySchema, c.req.query());
 * ```
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, root?: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error.issues, root);
  const details = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - details.length;
  const message = details.map((d) => `${d.path}: ${d.message}`).join("; ") + (more > 0 ? `; and ${more} more problems` : "");
  throw new ApiError(400, "invalid_request", message, { details });
}
