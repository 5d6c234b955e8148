/**
 * The key a client's requests are counted under: its IPv4 address, or the /64 network of its IPv6
 * address. An IPv6 client is usually given a whole /64 and may send from any address in it, so
 * counting single addresses would give it 2^64 budgets.
 *
 * @example
 * ```ts
 * clientKey("203.0.113.7"); // "203.0.113.7"
 * clientKey("2001:db8:0:42::1"); // "2001:db8:0:42::/64"
 * clientKey("2001:db8::1"); // "2001:db8:0:0::/64"
 * ```
 */
export function clientKey(address: string): string {
  // IPv4, and IPv4 written as IPv6 (`::ffff:203.0.113.7`): one address each.
  if (!address.includes(":") || address.includes(".")) return address;
  const [head = "", tail] = address.toLowerCase().split("::", 2);
  const groups = head === "" ? [] : head.split(":");
  // "::" stands for as many zero groups as the address leaves out.
  if (tail !== undefined) {
    const after = tail === "" ? [] : tail.split(":");
    groups.push(...Array<string>(Math.max(0, 8 - groups.length - after.length)).fill("0"), ...after);
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
