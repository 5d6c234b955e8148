/** D1 round trips seen through a {@link recordD1}, by where they were made. */
export interface RoundTrips {
  /** In a request's D1 session (`withSession`): the response path of every route. */
  session: number;
  /** On the binding itself: work after the response (`waitUntil`), such as marking an event sent. */
  binding: number;
}

/** A statement as D1 ran it. */
export interface RecordedStatement {
  sql: string;
  params: unknown[];
}

/** What a {@link recordD1} saw since its last `reset`. */
export interface D1Record {
  trips: RoundTrips;
  /** Every statement run, in order (those of a batch one by one), in a session or on the binding. */
  statements: RecordedStatement[];
  /** The rows D1 says it read (`meta.rows_read`) for the session's batches and `run`/`all` calls. */
  rowsRead: number;
}

type Where = keyof RoundTrips;
type Db = Pick<D1Database, "prepare" | "batch">;

/** Each call of these on a statement is one round trip to D1. */
const STATEMENT_CALLS = ["run", "all", "first", "raw"] as const;

/** Records `statement` (and those `bind` derives from it), and calls `ran` with it on each execution. */
function recorded(statement: D1PreparedStatement, sql: string, params: unknown[], ran: (s: RecordedStatement) => Ran) {
  const target = statement as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of STATEMENT_CALLS) {
    const call = target[name]!.bind(statement);
    target[name] = async (...args) => {
      const done = ran({ sql, params });
      const result = await call(...args);
      done([result]);
      return result;
    };
  }
  const bind = statement.bind.bind(statement);
  statement.bind = (...values) => recorded(bind(...values), sql, values, ran);
  SOURCES.set(statement, { sql, params });
  // The real statement object, patched in place: `batch` accepts only D1's own statements.
  return statement;
}

const SOURCES = new WeakMap<D1PreparedStatement, RecordedStatement>();

/** Called once a round trip's results are in, to add up the rows it read. */
type Ran = (results: unknown[]) => void;

const rowsReadOf = (result: unknown) => (result as Partial<D1Result> | null)?.meta?.rows_read ?? 0;

/** `prepare` and `batch` of `db` (a database or a session), recording into `record` as `where`. */
function recording<D extends Db>(db: D, record: D1Record, where: Where): D {
  // A round trip counts when it starts: one that fails (a constraint, say) was a wait on D1 too.
  const ran = (...statements: RecordedStatement[]): Ran => {
    record.trips[where]++;
    record.statements.push(...statements);
    if (where !== "session") return () => {};
    return (results) => {
      for (const result of results) record.rowsRead += rowsReadOf(result);
    };
  };
  const prepare = db.prepare.bind(db);
  const batch = db.batch.bind(db);
  const wrapped = Object.create(db) as D;
  wrapped.prepare = (sql) => recorded(prepare(sql), sql, [], ran);
  // A batch is one round trip however many statements it carries.
  wrapped.batch = (async (statements: D1PreparedStatement[]) => {
    const done = ran(...statements.map((statement) => SOURCES.get(statement) ?? { sql: "(not prepared here)", params: [] }));
    const results = await batch(statements);
    done(results);
    return results;
  }) as D["batch"];
  return wrapped;
}

/**
 * The tickets database with every round trip to D1 recorded: a `batch`, or one `run`/`all`/
 * `first`/`raw` of a statement. Requests run in a session (workers/tickets/src/d1-session/), so
 * the sessions `withSession` returns are recorded too, apart from the binding's own calls. A
 * call that fails counts too (it was a round trip).
 *
 * @example
 * ```ts
 * const d1 = recordD1(env.DB);
 * await postJson(appTarget(createTicketsApp(), { ...env, DB: d1.db }), "/tickets", { title: "t" });
 * expect(d1.record.trips.session).toBe(1);
 * ```
 */
export function recordD1(db: D1Database): { db: D1Database; record: D1Record; reset(): void } {
  const record: D1Record = { trips: { session: 0, binding: 0 }, statements: [], rowsRead: 0 };
  const wrapped = recording(db, record, "binding");
  wrapped.withSession = (constraintOrBookmark?: string) => {
    const session = db.withSession(constraintOrBookmark);
    const wrappedSession = recording(session, record, "session");
    wrappedSession.getBookmark = () => session.getBookmark();
    return wrappedSession;
  };
  const reset = () => {
    record.trips = { session: 0, binding: 0 };
    record.statements = [];
    record.rowsRead = 0;
  };
  return { db: wrapped, record, reset };
}
