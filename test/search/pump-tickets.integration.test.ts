import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { resetIndex } from "../../workers/search/src/checkpoint.ts";
import { checkFullTextIndex, checkpointSeq, emptyIndex, indexedDocuments, matching } from "./change-log.ts";
import { AD_ON_IOS, addReply, headInTicketsDatabase, keysInTicketsDatabase, pumpTickets, SOCIAL_AUTH } from "./tickets.ts";

// The pump's steps driven one by one on the tickets service's real change log (both tickets
// versions beside the search Worker, on their migrated and seeded database). The pump's object
// is never poked here, so no alarm runs beside these steps.

beforeEach(emptyIndex);

describe("pumping the tickets change log", () => {
  it("indexes every seeded ticket and reply, the replies' HTML stripped", async () => {
    expect((await pumpTickets()).outcomes).toEqual(["caught-up"]);
    expect((await indexedDocuments()).map((doc) => doc.doc_key)).toEqual(await keysInTicketsDatabase());
    expect(await checkpointSeq()).toBe(await headInTicketsDatabase());
    const seededReply = (await indexedDocuments()).find((doc) => doc.kind === "reply" && doc.ticket_id === SOCIAL_AUTH);
    expect(seededReply?.body).toMatch(/^Hi John, thanks for reaching out\. Have you seen our library for AngularJS\? https:\/\/github\.com/);
    expect(seededReply?.ticket_title).toBe("Social Authentication");
    await checkFullTextIndex();
  });

  it.each([
    ["failing every ticket query (FAILURE_RATE 1)", "TICKETS_V1_0_1_FAILING"],
    ["down, answering every request with a 503", "TICKETS_V1_0_1_DOWN"],
  ] as const)("keeps going with tickets 1.0.1 %s", async (_case, binding) => {
    await pumpTickets(env[binding]);
    const ids = [await addReply(AD_ON_IOS, "<p>Still <em>broken</em> on iOS 19</p>"), await addReply(SOCIAL_AUTH, "Twitter too?")];
    const { outcomes, served } = await pumpTickets(env[binding], 1);
    expect(outcomes).toEqual(["more", "caught-up"]);
    if (binding === "TICKETS_V1_0_1_DOWN") expect(served).toEqual(["1.0.0", "1.0.0"]);
    expect(await matching("broken")).toContain(`reply:${ids[0]}`);
    expect((await indexedDocuments()).map((doc) => doc.doc_key)).toEqual(await keysInTicketsDatabase());
  });

  it("a ticket's title changed in the tickets database reaches the documents of its replies", async () => {
    await addReply(AD_ON_IOS, "Which version?");
    await pumpTickets();
    await env.DB.prepare("UPDATE tickets SET title = 'Azure AD on iPadOS' WHERE id = ?1").bind(AD_ON_IOS).run();
    await pumpTickets();
    const ofTicket = (await indexedDocuments()).filter((doc) => doc.ticket_id === AD_ON_IOS);
    expect(ofTicket.map((doc) => doc.title || doc.ticket_title)).toEqual(ofTicket.map(() => "Azure AD on iPadOS"));
    expect((await matching("ipados")).length).toBe(ofTicket.length);
    await checkFullTextIndex();
  });

  it("a rebuild from seq 0 equals the index the incremental pump built, writes, edits and deletes in between", async () => {
    await pumpTickets(undefined, 3);
    const first = await addReply(SOCIAL_AUTH, "<p>One</p>");
    await pumpTickets(undefined, 1);
    await addReply(AD_ON_IOS, "Two");
    await env.DB.prepare("UPDATE tickets SET title = 'Social login', description = 'Facebook and Twitter' WHERE id = ?1").bind(SOCIAL_AUTH).run();
    await pumpTickets(undefined, 2);
    await env.DB.prepare("DELETE FROM replies WHERE id = ?1").bind(first).run();
    await addReply(SOCIAL_AUTH, "Three");
    await pumpTickets(undefined, 2);
    const incremental = await indexedDocuments();
    expect(incremental.map((doc) => doc.doc_key)).toEqual(await keysInTicketsDatabase());
    const queries = ["social", "twitter", "one", "three", "ios", "angularjs"];
    const found = await Promise.all(queries.map(matching));

    await resetIndex(env.SEARCH_DB, Date.now());
    expect(await indexedDocuments()).toEqual([]);
    await pumpTickets();
    expect(await indexedDocuments()).toEqual(incremental);
    await checkFullTextIndex();
    expect(await Promise.all(queries.map(matching))).toEqual(found);
  });
});
