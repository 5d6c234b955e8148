import { z } from "zod";

const ticketDataSchema = z.object({
  title: z.string(),
  // Only what the index uses is required; the rest of the ticket is not searched.
  description: z.string().nullish().transform((text) => text ?? ""),
});

const replyDataSchema = z.object({ message: z.string() });

const changeFields = {
  seq: z.number().int().positive(),
  id: z.string().min(1),
  ticketId: z.string().min(1),
  at: z.number(),
};

/**
 * One entry of the tickets service's change log (`GET /changes`): a ticket or a reply written
 * (its whole new state) or deleted.
 */
export const changeSchema = z.union([
  z.object({ ...changeFields, entity: z.literal("ticket"), op: z.literal("upsert"), data: ticketDataSchema }),
  z.object({ ...changeFields, entity: z.literal("reply"), op: z.literal("upsert"), data: replyDataSchema }),
  z.object({ ...changeFields, entity: z.enum(["ticket", "reply"]), op: z.literal("delete"), data: z.null() }),
]);

/** A change, as validated. */
export type Change = z.output<typeof changeSchema>;

/** A page of the change log: changes after the asked seq, ascending, and the log's highest seq. */
export const changePageSchema = z.object({
  changes: z.array(changeSchema),
  head: z.number().int().nonnegative(),
});

/** A page of the change log, as validated. */
export type ChangePage = z.output<typeof changePageSchema>;
