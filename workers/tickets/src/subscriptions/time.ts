/**
 * An epoch-ms column as the API answers times: ISO 8601, or null. (The webhook tables keep their
 * times as epoch ms, which the delivery schedule computes with; answers use ISO like every other.)
 *
 * @example
 * ```ts
 * isoOrNull(1700000000000); // "2023-11-14T22:13:20.000Z"
 * isoOrNull(null);          // null
 * ```
 */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
