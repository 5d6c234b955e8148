import { z } from "zod";
import { BODY_LIMIT_BYTES } from "#shared/http/json-body/index.ts";
import { ID_PATTERN } from "./ids.ts";

/** Field limits, in characters. They keep rows and responses small; the README lists them. */
export const LIMITS = {
  title: 200,
  description: 10_000,
  assignedTo: 100,
  userInitials: 8,
  user: 100,
  message: 10_000,
  /** Whole request bodies, in bytes. */
  bodyBytes: BODY_LIMIT_BYTES,
} as const;

export const TICKET_STATUSES = ["Open", "Pending", "Closed"] as const;

/**
 * Text must be well-formed Unicode: a lone surrogate (possible in JSON's \uD800) cannot be stored
 * as given (SQLite would replace it), and the answer must be exactly what was stored.
 */
const WELL_FORMED = [(value: string) => value.isWellFormed(), "must be valid Unicode text (no lone surrogates)"] as const;

/**
 * A string that must be present, not blank, and at most `max` characters (UTF-16 code units, as
 * JavaScript counts them). Stored exactly as given.
 *
 * @example
 * ```ts
 * z.strictObject({ user: requiredText(100) });
 * ```
 */
export const requiredText = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "required" : "must be a string") })
    .refine((value) => value.trim().length > 0, "must not be empty")
    .refine((value) => value.length <= max, `must be at most ${max} characters`)
    .refine(...WELL_FORMED);

/**
 * A string that may be absent, at most `max` characters, stored exactly as given.
 *
 * @example
 * ```ts
 * z.strictObject({ description: optionalText(200) });
 * ```
 */
export const optionalText = (max: number) =>
  z
    .string({ error: "must be a string" })
    .max(max, `must be at most ${max} characters`)
    .refine(...WELL_FORMED)
    .optional();

/** An id made by ids.ts: a ticket's, a reply's, a webhook subscription's. */
export const idSchema = z
  .string({ error: (issue) => (issue.input === undefined ? "required" : "must be a string") })
  .regex(ID_PATTERN, "must be 24 hexadecimal digits");

export const newTicketSchema = z.strictObject({
  title: requiredText(LIMITS.title),
  description: optionalText(LIMITS.description),
  assignedTo: optionalText(LIMITS.assignedTo),
  userInitials: optionalText(LIMITS.userInitials),
  status: z.enum(TICKET_STATUSES, { error: `must be one of ${TICKET_STATUSES.join(", ")}` }).optional(),
});

export const newReplySchema = z.strictObject({
  user: requiredText(LIMITS.user),
  message: requiredText(LIMITS.message),
});
export type NewReply = z.output<typeof newReplySchema>;

/** The original example's `POST /tickets/addComment` body. */
export const addCommentSchema = newReplySchema.extend({ ticketId: idSchema });

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

