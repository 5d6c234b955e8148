import { MATCH_END, MATCH_START, snippetSegments, type SnippetSegment } from "./snippet.ts";

/** One search hit: a ticket, or a reply with its ticket. */
export interface SearchHit {
  kind: "ticket" | "reply";
  ticketId: string;
  /** Replies only. */
  replyId?: string;
  /** The ticket's title (a reply's ticket's). */
  title: string;
  /** Around the matches of the ticket's description or the reply's message. */
  snippet: SnippetSegment[];
  /** Relevance, higher is better: bm25 turned positive. Hits come sorted by it. */
  rank: number;
}

/**
 * bm25 weights of the index's columns: a ticket's own title counts ten times its description or
 * a reply's message; a reply's ticket's title counts twice, so a query on a ticket's words finds
 * its replies too, below the ticket itself.
 */
export const COLUMN_WEIGHTS = { title: 10, body: 1, ticketTitle: 2 } as const;

/** Words around the matches in a snippet. */
const SNIPPET_TOKENS = 16;

const SEARCH = `
SELECT d.kind, d.ticket_id, d.reply_id, CASE d.kind WHEN 'ticket' THEN d.title ELSE d.ticket_title END AS title,
       snippet(documents_fts, 1, ?3, ?4, '…', ${SNIPPET_TOKENS}) AS snippet,
       bm25(documents_fts, ${COLUMN_WEIGHTS.title}, ${COLUMN_WEIGHTS.body}, ${COLUMN_WEIGHTS.ticketTitle}) AS score
FROM documents_fts JOIN documents AS d ON d.rowid = documents_fts.rowid
WHERE documents_fts MATCH ?1
ORDER BY score, d.doc_key
LIMIT ?2`;

interface HitRow {
  kind: "ticket" | "reply";
  ticket_id: string;
  reply_id: string | null;
  title: string;
  snippet: string | null;
  score: number;
}

/**
 * The errors SQLite gives a query it cannot run as FTS5 query syntax (`"unbalanced`, `AND`
 * alone, `e-mail`, which reads as the column `mail`...).
 */
const QUERY_ERROR = /fts5: |no such column|unknown special query|unterminated string|malformed MATCH|expected integer/i;

/**
 * Whether a failed search is the query's fault (it is then searched for as plain words). Besides
 * the known wordings, any SQLITE_ERROR of the MATCH statement but a missing table or function
 * (our schema's fault, a 500) is: FTS5 words some syntax errors without its prefix
 * (`NEAR(a b, x)`: expected integer), and a 500 would count against search's only version in the
 * gateway's breaker, so a stranger could switch search off.
 */
const isQueryError = (err: unknown): boolean =>
  err instanceof Error && (QUERY_ERROR.test(err.message) || (/SQLITE_ERROR/.test(err.message) && !/no such (table|function)/i.test(err.message)));

/**
 * `query` as plain words: each run of non-blank characters one quoted FTS5 string, which the index's
 * tokenizer splits as it split the text (`e-mail` is the phrase "e mail", `example.com` the phrase
 * "example com"), all of them required. Always valid FTS5 syntax.
 *
 * @example
 * ```ts
 * asPlainWords('e-mail "reset'); // '"e-mail" """reset"'
 * ```
 */
export const asPlainWords = (query: string): string =>
  query
    .split(/\s+/)
    .filter((word) => word !== "")
    .map((word) => `"${word.replaceAll('"', '""')}"`)
    .join(" ");

const hitsOf = async (db: D1Database, match: string, limit: number): Promise<HitRow[]> =>
  (await db.prepare(SEARCH).bind(match, limit, MATCH_START, MATCH_END).all<HitRow>()).results;

/**
 * The `limit` best hits for `query`, ranked by bm25 with titles above bodies. The query is FTS5
 * syntax (phrases, `prefix*`, `NOT`, `title:`); one FTS5 cannot read is searched for as plain words
 * ({@link asPlainWords}): what people type into a search box (`e-mail`, `example.com`, `don't`,
 * `1.0.1`, `what?`) finds what it says, never a 400, and SQLite's words for the failure (which
 * name the index's columns) are never shown.
 *
 * @example
 * ```ts
 * const hits = await searchIndex(env.SEARCH_DB, "password reset", 10);
 * ```
 */
export async function searchIndex(db: D1Database, query: string, limit: number): Promise<SearchHit[]> {
  let rows: HitRow[];
  try {
    rows = await hitsOf(db, query, limit);
  } catch (err) {
    if (!isQueryError(err)) throw err;
    rows = await hitsOf(db, asPlainWords(query), limit);
  }
  return rows.map((row) => ({
    kind: row.kind,
    ticketId: row.ticket_id,
    ...(row.reply_id === null ? {} : { replyId: row.reply_id }),
    title: row.title,
    snippet: snippetSegments(row.snippet ?? ""),
    // Six significant digits: a term in most documents gets a tiny IDF, and with it tiny scores.
    rank: Number((-row.score).toPrecision(6)),
  }));
}
