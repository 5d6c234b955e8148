import { env } from "cloudflare:workers";
import type { Change } from "../../workers/search/src/change.ts";
import type { ChangeSource } from "../../workers/search/src/change-source.ts";

/** Builds a change log in memory, seq by seq, as the tickets service would serve it. */
export class MemoryLog {
  readonly changes: Change[] = [];
  #at = Date.UTC(2026, 10, 28, 9, 0, 0);

  #push(change: Omit<Change, "seq" | "at">): this {
    this.changes.push({ ...change, seq: this.changes.length + 1, at: (this.#at += 1_000) } as Change);
    return this;
  }

  ticket(id: string, title: string, description = ""): this {
    return this.#push({ entity: "ticket", op: "upsert", id, ticketId: id, data: { title, description } });
  }

  reply(id: string, ticketId: string, message: string): this {
    return this.#push({ entity: "reply", op: "upsert", id, ticketId, data: { message } });
  }

  delete(entity: "ticket" | "reply", id: string, ticketId: string): this {
    return this.#push({ entity, op: "delete", id, ticketId, data: null });
  }

  /** The log as `GET /changes` serves it. */
  readonly source: ChangeSource = async (after, limit) => ({
    changes: this.changes.filter((change) => change.seq > after).slice(0, limit),
    head: this.changes.at(-1)?.seq ?? 0,
  });
}

/** One document of the index, as stored (rowid aside, which a rebuild may change). */
export interface IndexedDocument {
  doc_key: string;
  kind: string;
  ticket_id: string;
  reply_id: string | null;
  title: string;
  body: string;
  ticket_title: string;
}

/** Every document of the index, by key. */
export const indexedDocuments = async () =>
  (
    await env.SEARCH_DB.prepare("SELECT doc_key, kind, ticket_id, reply_id, title, body, ticket_title FROM documents ORDER BY doc_key").all<IndexedDocument>()
  ).results;

/**
 * FTS5's own check that the full-text index holds exactly the documents' text (it throws when
 * not): with the documents compared too, two indexes that pass it are the same index.
 */
export const checkFullTextIndex = async () =>
  env.SEARCH_DB.prepare("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)").run();

/** The rowids of the documents that match an FTS5 query, as their keys. */
export const matching = async (query: string) =>
  (
    await env.SEARCH_DB.prepare("SELECT d.doc_key FROM documents_fts JOIN documents AS d ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH ?1 ORDER BY 1")
      .bind(query)
      .all<{ doc_key: string }>()
  ).results.map((row) => row.doc_key);

/** The pump's checkpoint seq. */
export const checkpointSeq = async () =>
  (await env.SEARCH_DB.prepare("SELECT seq FROM pump_checkpoint WHERE id = 1").first<{ seq: number }>())?.seq;

/** An empty index at checkpoint 0, as the migrations leave it (each test of a file starts there). */
export const emptyIndex = () =>
  env.SEARCH_DB.batch([
    env.SEARCH_DB.prepare("DELETE FROM documents"),
    env.SEARCH_DB.prepare("UPDATE pump_checkpoint SET seq = 0, applied_at = NULL, rebuild_requested_at = NULL"),
  ]);
