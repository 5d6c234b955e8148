// Demo parts 2 and 4: fallback from the failing 1.0.1 to 1.0.0, the breaker, and a clean 503.
import { section } from "./demo-client.mjs";
import { pollUntil } from "./poll-until.mjs";

const MAX_QUERIES = 60;
const COOLDOWN_WAIT_MS = 20_000;

/** @param {{ servedBy: string | null, fallbackFrom: string | null, res: Response }} answer */
const describe = ({ servedBy, fallbackFrom, res }) =>
  `${res.status} from ${servedBy}${fallbackFrom ? ` (fallback from ${fallbackFrom})` : ""}`;

/** @param {ReturnType<typeof import("./demo-client.mjs").demoClient>} api */
export async function demoFallback(api) {
  section(
    "2. Versioned calls with fallback",
    "tickets 1.0.1 fails half of its ticket queries. The gateway calls the newest version matching\n" +
      "^1.0.0 first, and 1.0.0 when 1.0.1 fails. After 3 failures in a row, 1.0.1's breaker opens.",
  );
  let opened = false;
  for (let n = 1; n <= MAX_QUERIES && !opened; n++) {
    const answer = await api.call("/tickets");
    const breaker = await api.breakerOf("1.0.1");
    opened = breaker?.state === "open";
    console.log(`  #${String(n).padStart(2)} GET /tickets → ${describe(answer).padEnd(50)} breaker of 1.0.1: ${breaker?.state}`);
  }
  if (!opened) {
    console.log(`  (1.0.1 never failed 3 times in a row in ${MAX_QUERIES} calls: chance. Run the demo again to see the breaker.)`);
    return;
  }
  console.log("The breaker is open: 1.0.1 is skipped without being called, so nobody waits for it.");
  for (let n = 1; n <= 3; n++) console.log(`  GET /tickets → ${describe(await api.call("/tickets"))}`);
  const skipped = (await api.breakerOf("1.0.1"))?.counts.skips;
  console.log(`GET /services: 1.0.1 skipped ${skipped} times so far. Waiting for its cooldown to end...`);
  const waitStarted = Date.now();
  await pollUntil(async () => (await api.breakerOf("1.0.1"))?.state !== "open", { timeoutMs: COOLDOWN_WAIT_MS, everyMs: 500 });
  console.log(`After ${((Date.now() - waitStarted) / 1000).toFixed(1)} s the breaker is half-open: the next call is a trial of 1.0.1.`);
  const trial = await api.call("/tickets");
  const after = await api.breakerOf("1.0.1");
  console.log(`  GET /tickets → ${describe(trial)}; breaker of 1.0.1 is now ${after?.state}`);
  console.log(after?.state === "closed" ? "The trial succeeded: 1.0.1 is back in service." : "The trial failed: 1.0.1 is skipped for another cooldown.");
}

/** @param {ReturnType<typeof import("./demo-client.mjs").demoClient>} api */
export async function demoNoServiceAvailable(api) {
  section(
    "5. When no version answers",
    "A client that accepts only 1.0.1 (Accept-Version: 1.0.1) has no version to fall back to.",
  );
  for (let n = 1; n <= 20; n++) {
    const answer = await api.call("/tickets", { headers: { "accept-version": "1.0.1" } });
    if (answer.res.status !== 503) {
      console.log(`  GET /tickets → ${describe(answer)} (1.0.1 happened to answer; again)`);
      continue;
    }
    console.log(`  GET /tickets → 503 ${answer.body.error.code}, Retry-After: ${answer.res.headers.get("retry-after")} s`);
    for (const a of answer.body.error.details.attempts) console.log(`    attempt: tickets@${a.version} ${a.outcome} (${a.reason})`);
    console.log("A clean JSON answer that says what was tried, never a hang or a stack trace.");
    return;
  }
  throw new Error("1.0.1 answered 20 times in a row: is FAILURE_RATE set to 0?");
}
