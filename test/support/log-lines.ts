import { onTestFinished, vi } from "vitest";

/** One of the JSON log lines our Workers write (`#shared/http/log.ts`, the dispatcher's). */
export interface LogLine {
  event: string;
  level?: string;
  [field: string]: unknown;
}

/**
 * Captures what the Workers under test log from now until the test ends, instead of printing it,
 * and returns a reader of the lines so far, parsed; `console.log`, `.warn` and `.error` alike (the
 * line's `level` says which it was meant as).
 *
 * @example
 * ```ts
 * const lines = captureLogLines();
 * await gateway.fetch(request);
 * expect(lines().filter((line) => line.level === "error")).toEqual([]);
 * ```
 */
export function captureLogLines(): () => LogLine[] {
  const written: string[] = [];
  for (const method of ["log", "warn", "error"] as const) {
    const spy = vi.spyOn(console, method).mockImplementation((line: unknown) => void written.push(String(line)));
    onTestFinished(() => spy.mockRestore());
  }
  return () => written.map((line) => JSON.parse(line) as LogLine);
}
