import { afterAll, describe, expect, it, vi } from "vitest";
import { type DevSystem, startDevSystem } from "../../scripts/lib/dev-system.mjs";

const SOCIAL_AUTH = "55e633b9fa7864d21a226052";
const STATE = "test-crash";
let system: DevSystem | undefined;
afterAll(() => system?.stop());

interface ReplyRow {
  id: string;
}

async function getIds(base: string, path: string): Promise<string[]> {
  const res = await fetch(`${base}${path}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as ReplyRow[]).map((reply) => reply.id);
}

describe("npm start killed while replies are posted, then started again on the same state", () => {
  it("keeps every acknowledged reply once, and the feed equals the database's latest 10 within 60 s", async () => {
    const first = await startDevSystem(STATE);
    system = first;
    const acknowledged: string[] = [];
    let crashed = false;
    const post = async () => {
      for (let n = 0; !crashed; n++) {
        try {
          const res = await fetch(`${first.base}/tickets/${SOCIAL_AUTH}/replies`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ user: "Crash test", message: `reply ${n}` }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as ReplyRow).id);
        } catch {
          // The process was killed under this request: it was never acknowledged.
        }
      }
    };
    const posters = Array.from({ length: 4 }, post);
    await vi.waitFor(() => expect(acknowledged.length).toBeGreaterThanOrEqual(40), { timeout: 30_000, interval: 20 });
    // A power cut: wrangler, workerd and the in-memory Queue's messages go at once.
    await first.crash();
    crashed = true;
    await Promise.all(posters);

    system = await startDevSystem(STATE, { keepState: true });
    const stored = await getIds(system.base, "/replies?limit=100");
    expect(new Set(stored).size).toBe(stored.length);
    for (const id of acknowledged) expect(stored).toContain(id);

    // The start-up crons reconcile the feed with the database (and re-drive unsent outbox rows).
    const databaseLatest = stored.slice(0, 10).sort();
    await vi.waitFor(
      async () => expect((await getIds(system!.base, "/latestReplies")).sort()).toEqual(databaseLatest),
      { timeout: 60_000, interval: 500 },
    );
  });
});
