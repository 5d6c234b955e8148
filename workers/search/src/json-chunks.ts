/**
 * D1 caps a bound string at 2 MB (and a reply may be 10,000 characters): set-based statements
 * take their rows as JSON arrays of at most this many characters, one statement per array.
 */
export const MAX_JSON_PARAM_CHARS = 500_000;

/**
 * `items` as JSON arrays of at most `maxChars` characters each (an item longer than that on its
 * own gets an array of its own), in order; none for no items.
 *
 * @example
 * ```ts
 * jsonChunks([{ id: "a" }, { id: "b" }], 20); // ['[{"id":"a"}]', '[{"id":"b"}]']
 * ```
 */
export function jsonChunks(items: readonly unknown[], maxChars = MAX_JSON_PARAM_CHARS): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const item of items) {
    const json = JSON.stringify(item);
    if (current.length > 0 && size + json.length + 1 > maxChars) {
      chunks.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(",")}]`);
  return chunks;
}
