import { describe, expect, it } from "vitest";
import { checkWebhookUrl, parseAllowedHosts } from "#shared/webhooks/url-guard.ts";

const publicName = (name: string) => `The URL names the IP address ${name}; use a host name instead.`;
const special = (range: string, address: string) => `The URL names the ${range} address ${address}; use a public host name instead.`;
const internal = (name: string, suffix: string) =>
  `The host name ${name} ends in ${suffix}, which only resolves inside a network; use a public host name instead.`;
const embeds = (name: string, range: string, address: string) =>
  `The host name ${name} embeds the ${range} address ${address} (nip.io-style names resolve to it); use a public host name instead.`;

/** [URL, the normalized URL when accepted | the reason when refused]. No allow-list. */
const TABLE: [string, { url: string } | { reason: string }][] = [
  // Accepted: public https names, ports, paths, queries, IDNs, a rooted name, a name embedding a public address.
  ["https://example.com/hook", { url: "https://example.com/hook" }],
  ["https://Hooks.Example.COM:8443/a/b?x=1#frag", { url: "https://hooks.example.com:8443/a/b?x=1#frag" }],
  ["https://bücher.example/hook", { url: "https://xn--bcher-kva.example/hook" }],
  ["https://example.com./hook", { url: "https://example.com./hook" }],
  ["https://8.8.8.8.nip.io/", { url: "https://8.8.8.8.nip.io/" }],
  ["https://api-v1-2-3.example.com/", { url: "https://api-v1-2-3.example.com/" }],
  // Scheme, syntax, length, credentials.
  ["http://example.com/hook", { reason: "The URL must use https (it uses http)." }],
  ["ftp://example.com/file", { reason: "The URL must use https (it uses ftp)." }],
  ["javascript:alert(1)", { reason: "The URL must use https (it uses javascript)." }],
  ["file:///etc/passwd", { reason: "The URL must use https (it uses file)." }],
  ["not a url", { reason: "The URL is not a valid absolute URL." }],
  ["/relative/path", { reason: "The URL is not a valid absolute URL." }],
  ["https://exa mple.com/", { reason: "The URL is not a valid absolute URL." }],
  [`https://example.com/${"a".repeat(2029)}`, { reason: "The URL is 2049 characters long; at most 2048 are allowed." }],
  ["https://user:pass@example.com/", { reason: "The URL must not contain a username or password." }],
  ["https://user@example.com/", { reason: "The URL must not contain a username or password." }],
  // IPv4 literals in every spelling WHATWG URL accepts, each range named.
  ["https://127.0.0.1/", { reason: special("loopback", "127.0.0.1") }],
  ["https://2130706433/", { reason: special("loopback", "127.0.0.1") }],
  ["https://0x7f.1/", { reason: special("loopback", "127.0.0.1") }],
  ["https://0177.0.0.1/", { reason: special("loopback", "127.0.0.1") }],
  ["https://127.1/", { reason: special("loopback", "127.0.0.1") }],
  ["https://10.1.2.3/", { reason: special("private (RFC 1918)", "10.1.2.3") }],
  ["https://172.16.0.1/", { reason: special("private (RFC 1918)", "172.16.0.1") }],
  ["https://172.31.255.255/", { reason: special("private (RFC 1918)", "172.31.255.255") }],
  ["https://192.168.1.1:8443/", { reason: special("private (RFC 1918)", "192.168.1.1") }],
  ["https://169.254.169.254/latest/meta-data/", { reason: special("cloud metadata (link-local)", "169.254.169.254") }],
  ["https://169.254.1.1/", { reason: special("link-local", "169.254.1.1") }],
  ["https://100.64.0.1/", { reason: special("carrier-grade NAT (100.64.0.0/10)", "100.64.0.1") }],
  ["https://0.0.0.0/", { reason: special("unspecified (0.0.0.0/8)", "0.0.0.0") }],
  ["https://224.0.0.1/", { reason: special("multicast", "224.0.0.1") }],
  ["https://255.255.255.255/", { reason: special("broadcast", "255.255.255.255") }],
  ["https://172.32.0.1/", { reason: publicName("172.32.0.1") }],
  ["https://8.8.8.8/", { reason: publicName("8.8.8.8") }],
  // IPv6 literals.
  ["https://[::1]/", { reason: special("loopback", "[::1]") }],
  ["https://[::]/", { reason: special("unspecified", "[::]") }],
  ["https://[::ffff:127.0.0.1]/", { reason: special("IPv4-mapped (of 127.0.0.1)", "[::ffff:7f00:1]") }],
  ["https://[::ffff:8.8.8.8]/", { reason: special("IPv4-mapped (of 8.8.8.8)", "[::ffff:808:808]") }],
  ["https://[fc00::1]/", { reason: special("unique-local (fc00::/7)", "[fc00::1]") }],
  ["https://[fd12:3456::1]/", { reason: special("unique-local (fc00::/7)", "[fd12:3456::1]") }],
  ["https://[fe80::1]/", { reason: special("link-local (fe80::/10)", "[fe80::1]") }],
  ["https://[ff02::1]/", { reason: special("multicast", "[ff02::1]") }],
  ["https://[2606:4700:4700::1111]/", { reason: publicName("[2606:4700:4700::1111]") }],
  // Internal names.
  ["https://localhost/", { reason: "The URL names localhost; use a public host name instead." }],
  ["https://LOCALHOST./hook", { reason: "The URL names localhost; use a public host name instead." }],
  ["https://api.localhost/", { reason: internal("api.localhost", ".localhost") }],
  ["https://printer.local/", { reason: internal("printer.local", ".local") }],
  ["https://metadata.google.internal/", { reason: internal("metadata.google.internal", ".internal") }],
  ["https://service.internal./", { reason: internal("service.internal", ".internal") }],
  ["https://intranet/", { reason: "The host name intranet has a single label; use a fully qualified public host name." }],
  ["https://com./", { reason: "The host name com has a single label; use a fully qualified public host name." }],
  // Names that embed a private address (wildcard DNS services).
  ["https://127.0.0.1.nip.io/", { reason: embeds("127.0.0.1.nip.io", "loopback", "127.0.0.1") }],
  ["https://app.10.0.0.1.nip.io/", { reason: embeds("app.10.0.0.1.nip.io", "private (RFC 1918)", "10.0.0.1") }],
  ["https://10-0-0-1.sslip.io/", { reason: embeds("10-0-0-1.sslip.io", "private (RFC 1918)", "10.0.0.1") }],
  ["https://www-192-168-1-1.sslip.io/", { reason: embeds("www-192-168-1-1.sslip.io", "private (RFC 1918)", "192.168.1.1") }],
  ["https://169-254-169-254.sslip.io/", { reason: embeds("169-254-169-254.sslip.io", "cloud metadata (link-local)", "169.254.169.254") }],
];

describe("the SSRF guard", () => {
  it("judges a table of at least 30 URLs", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
  });

  it.each(TABLE)("%s", (input, expected) => {
    const check = checkWebhookUrl(input, []);
    expect(check).toEqual("url" in expected ? { ok: true, url: expected.url } : { ok: false, reason: expected.reason });
  });

  it("lets allow-listed hosts use http or https, whatever their address, and nothing else", () => {
    const allowed = parseAllowedHosts("127.0.0.1, LocalHost,[::1]");
    expect(checkWebhookUrl("http://127.0.0.1:9000/hook", allowed)).toEqual({ ok: true, url: "http://127.0.0.1:9000/hook" });
    expect(checkWebhookUrl("https://localhost/hook", allowed)).toEqual({ ok: true, url: "https://localhost/hook" });
    expect(checkWebhookUrl("http://LOCALHOST.:8080/", allowed)).toEqual({ ok: true, url: "http://localhost.:8080/" });
    expect(checkWebhookUrl("http://[::1]:9000/", allowed)).toEqual({ ok: true, url: "http://[::1]:9000/" });
    // Still no other scheme, no credentials, and no other host.
    expect(checkWebhookUrl("ftp://127.0.0.1/", allowed)).toEqual({ ok: false, reason: "The URL must use http or https (it uses ftp)." });
    expect(checkWebhookUrl("http://u:p@127.0.0.1/", allowed)).toEqual({ ok: false, reason: "The URL must not contain a username or password." });
    expect(checkWebhookUrl("http://127.0.0.2/", allowed)).toEqual({ ok: false, reason: "The URL must use https (it uses http)." });
    expect(checkWebhookUrl("https://127.0.0.2/", allowed)).toEqual({ ok: false, reason: special("loopback", "127.0.0.2") });
  });

  it("reads the allow-list variable", () => {
    expect(parseAllowedHosts("127.0.0.1, localhost")).toEqual(["127.0.0.1", "localhost"]);
    expect(parseAllowedHosts(" Example.COM ,, ")).toEqual(["example.com"]);
    expect(parseAllowedHosts("")).toEqual([]);
    expect(parseAllowedHosts(undefined)).toEqual([]);
  });
});
