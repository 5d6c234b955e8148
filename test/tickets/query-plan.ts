import { env } from "cloudflare:workers";
import type { RecordedStatement } from "./d1-recorder.ts";

/**
 * The query plan D1 (SQLite) makes for a statement recorded by `recordD1`, one line per step,
 * e.g. "SEARCH r USING INDEX replies_by_ticket (ticket_id=?)".
 *
 * @example
 * ```ts
 * const plans = await Promise.all(d1.record.statements.map(planOf));
 * ```
 */
export async function planOf(statement: RecordedStatement): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
    .bind(...statement.params)
    .all<{ detail: string }>();
  return results.map((row) => row.detail);
}
