/** Fields of one structured log line. */
export type LogFields = Record<string, unknown>;

/**
 * Writes one JSON log line, the format Workers Logs indexes field by field.
 *
 * @example
 * ```ts
 * logEvent("error", "request.failed", { requestId, path });
 * ```
 */
export function logEvent(level: "info" | "warn" | "error", event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, event, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** The parts of an unknown thrown value worth logging, without leaking it to clients. */
export function describeError(err: unknown): LogFields {
  if (err instanceof Error) return { errorName: err.name, errorMessage: err.message, stack: err.stack };
  return { errorMessage: String(err) };
}
