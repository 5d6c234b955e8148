// The SSRF guard on webhook URLs, checked when a subscription is created and again before every
// delivery. It judges the URL as written: schemes, credentials, IP literals, internal names, names
// that embed a private address (nip.io, sslip.io). A public-looking name that *resolves* to a
// private address is the platform's half: the webhooks Worker runs with the
// `global_fetch_strictly_public` compatibility flag, so its fetch() refuses private, loopback and
// link-local destinations whatever DNS answers (local workerd does not enforce it).

/** The verdict on a webhook URL: the normalized href, or why it is refused (a 400 message). */
export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/** The longest URL a subscription may name. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Name suffixes that only mean something inside a network. */
const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal"];

/**
 * Checks a webhook URL against the SSRF rules. A host in `allowedHosts` (exact, case-insensitive,
 * without port; IPv6 without brackets) may use `http` or `https` and skips the address rules: local
 * development's receivers on 127.0.0.1. Production passes an empty list.
 *
 * @example
 * ```ts
 * checkWebhookUrl("https://example.com/hook", []); // { ok: true, url: "https://example.com/hook" }
 * checkWebhookUrl("https://10.0.0.1/", []);        // { ok: false, reason: "The URL names the private (RFC 1918) address 10.0.0.1: ..." }
 * checkWebhookUrl("http://127.0.0.1:9000/", ["127.0.0.1"]); // ok: an allow-listed local receiver
 * ```
 */
export function checkWebhookUrl(input: string, allowedHosts: readonly string[]): UrlCheck {
  if (input.length > MAX_WEBHOOK_URL_LENGTH) {
    return refuse(`The URL is ${input.length} characters long; at most ${MAX_WEBHOOK_URL_LENGTH} are allowed.`);
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refuse("The URL is not a valid absolute URL.");
  }
  if (url.username !== "" || url.password !== "") {
    return refuse("The URL must not contain a username or password.");
  }
  const host = bareHost(url.hostname);
  if (allowedHosts.some((allowed) => bareHost(allowed.toLowerCase()) === host)) {
    if (url.protocol === "https:" || url.protocol === "http:") return { ok: true, url: url.href };
    return refuse(`The URL must use http or https (it uses ${url.protocol.slice(0, -1)}).`);
  }
  if (url.protocol !== "https:") {
    return refuse(`The URL must use https (it uses ${url.protocol.slice(0, -1)}).`);
  }
  const reason = hostRefusal(url.hostname);
  return reason === null ? { ok: true, url: url.href } : refuse(reason);
}

/**
 * The allow-list in a `WEBHOOK_ALLOWED_HOSTS` value: comma-separated, trimmed, lowercased.
 *
 * @example
 * ```ts
 * parseAllowedHosts("127.0.0.1, localhost"); // ["127.0.0.1", "localhost"]
 * parseAllowedHosts("");                     // []
 * ```
 */
export function parseAllowedHosts(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host.length > 0);
}

function refuse(reason: string): UrlCheck {
  return { ok: false, reason };
}

/** A host name as compared: IPv6 without brackets, without the trailing dot of a rooted name. */
function bareHost(hostname: string): string {
  const unbracketed = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return unbracketed.endsWith(".") ? unbracketed.slice(0, -1) : unbracketed;
}

/** Why a (WHATWG-normalized) host name is refused, or null when it may be called. */
function hostRefusal(hostname: string): string | null {
  if (hostname.startsWith("[")) return ipv6Refusal(hostname.slice(1, -1));
  const name = bareHost(hostname);
  // WHATWG URL already rewrote every IPv4 spelling (2130706433, 0x7f.1, 0177.0.0.1) as dotted decimal.
  const ipv4 = parseDottedIpv4(name);
  if (ipv4 !== null) {
    const range = ipv4Range(ipv4);
    return range === null
      ? `The URL names the IP address ${name}; use a host name instead.`
      : `The URL names the ${range} address ${name}; use a public host name instead.`;
  }
  if (name === "localhost") return "The URL names localhost; use a public host name instead.";
  const suffix = INTERNAL_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix !== undefined) {
    return `The host name ${name} ends in ${suffix}, which only resolves inside a network; use a public host name instead.`;
  }
  if (!name.includes(".")) {
    return `The host name ${name} has a single label; use a fully qualified public host name.`;
  }
  const embedded = embeddedIpv4(name);
  if (embedded !== null) {
    return `The host name ${name} embeds the ${embedded.range} address ${embedded.address} (nip.io-style names resolve to it); use a public host name instead.`;
  }
  return null;
}

/** An IPv4 address's four octets. */
type Ipv4 = [number, number, number, number];
/** An IPv6 address's eight 16-bit groups. */
type Ipv6 = [number, number, number, number, number, number, number, number];

/** The four octets of a dotted-decimal IPv4 address, or null. */
function parseDottedIpv4(text: string): Ipv4 | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? (octets as Ipv4) : null;
}

/** The special-purpose range an IPv4 address is in (a phrase for the reason), or null when public. */
function ipv4Range([a, b, c, d]: Ipv4): string | null {
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private (RFC 1918)";
  if (a === 169 && b === 254) {
    return c === 169 && d === 254 ? "cloud metadata (link-local)" : "link-local";
  }
  if (a === 100 && b >= 64 && b <= 127) return "carrier-grade NAT (100.64.0.0/10)";
  if (a === 0) return "unspecified (0.0.0.0/8)";
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return a === 255 && b === 255 && c === 255 && d === 255 ? "broadcast" : "reserved (240.0.0.0/4)";
  return null;
}

/** Why an IPv6 literal (without brackets, as WHATWG URL serializes it) is refused. */
function ipv6Refusal(text: string): string {
  const groups = parseIpv6(text);
  const range = groups === null ? null : ipv6Range(groups);
  return range === null
    ? `The URL names the IP address [${text}]; use a host name instead.`
    : `The URL names the ${range} address [${text}]; use a public host name instead.`;
}

/** The eight 16-bit groups of a hex IPv6 address (the WHATWG serialization has no dotted tail). */
function parseIpv6(text: string): Ipv6 | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const toGroups = (part = "") => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const head = toGroups(halves[0]);
  const tail = toGroups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? (groups as Ipv6) : null;
}

/** The special-purpose range an IPv6 address is in, or null when it is a global unicast address. */
function ipv6Range(groups: Ipv6): string | null {
  const [first] = groups;
  const zeroPrefix = groups.slice(0, 5).every((g) => g === 0);
  if (zeroPrefix && groups[5] === 0 && groups[6] === 0 && groups[7] === 0) return "unspecified";
  if (zeroPrefix && groups[5] === 0 && groups[6] === 0 && groups[7] === 1) return "loopback";
  if (zeroPrefix && groups[5] === 0xffff) {
    const v4 = [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join(".");
    return `IPv4-mapped (of ${v4})`;
  }
  if ((first & 0xfe00) === 0xfc00) return "unique-local (fc00::/7)";
  if ((first & 0xffc0) === 0xfe80) return "link-local (fe80::/10)";
  if ((first & 0xff00) === 0xff00) return "multicast";
  return null;
}

/**
 * A non-public IPv4 address written inside a host name, as wildcard DNS services resolve it:
 * dotted (`127.0.0.1.nip.io`) or dashed (`10-0-0-1.sslip.io`, `app-10-0-0-1.sslip.io`). Public
 * addresses so embedded are left to resolve normally. nip.io's hex form is not matched: 8-hex-digit
 * labels are common (preview deployments) and would be refused by chance; the platform's
 * strictly-public fetch still stops them.
 */
function embeddedIpv4(name: string): { address: string; range: string } | null {
  const labels = name.split(".");
  const candidates: Ipv4[] = [];
  for (let i = 0; i + 4 <= labels.length; i++) {
    const dotted = parseDottedIpv4(labels.slice(i, i + 4).join("."));
    if (dotted !== null) candidates.push(dotted);
  }
  for (const label of labels) {
    const parts = label.split("-");
    for (let i = 0; i + 4 <= parts.length; i++) {
      const dashed = parseDottedIpv4(parts.slice(i, i + 4).join("."));
      if (dashed !== null) candidates.push(dashed);
    }
  }
  for (const octets of candidates) {
    const range = ipv4Range(octets);
    if (range !== null) return { address: octets.join("."), range };
  }
  return null;
}
