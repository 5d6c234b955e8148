// Idempotent writes: a POST sent with an Idempotency-Key is applied once, however often it is sent.
export { IDEMPOTENCY_RETENTION_MS } from "./key.ts";
export { pruneIdempotencyKeys } from "./prune.ts";
export type { WriteResult } from "./stored-result.ts";
export { writeOnce, type WriteOnceOptions } from "./write-once.ts";
