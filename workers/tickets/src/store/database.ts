/**
 * What the store's queries need of D1: a `D1Database` (housekeeping, tests) and a
 * `D1DatabaseSession` (every request, see d1-session/) both provide it.
 */
export type Database = Pick<D1Database, "prepare" | "batch">;
