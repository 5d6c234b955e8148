import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { HealthBody } from "#shared/http/health.ts";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { getJson, postJson, workerUnderTest } from "../support/http.ts";

const v100 = workerUnderTest();
const v101 = env.TICKETS_V1_0_1;
const SOCIAL_AUTH = "55e633b9fa7864d21a226052";

describe("seed data after migration", () => {
  it("holds the three original tickets with their ids, fields and replies", async () => {
    const { body } = await getJson<Ticket[]>(v100, "/tickets");
    expect(body.map((t) => t.id).sort()).toEqual([
      "55e633b9fa7864d21a226052",
      "55e633dcfa7864d21a226053",
      "55e633f0fa7864d21a226054",
    ]);
    const social = body.find((t) => t.id === SOCIAL_AUTH)!;
    expect(social).toMatchObject({ title: "Social Authentication", status: "Open", assignedTo: "gonto", userInitials: "JD" });
    expect(social.description).toMatch(/^Hey there, I would like my users to authenticate with Facebook/);
    expect(social.replies).toHaveLength(1);
    expect(social.replies[0]).toMatchObject({ ticketId: SOCIAL_AUTH, user: "Gonto" });
    // HTML in messages is stored as given.
    expect(social.replies[0]!.message).toContain('<a href="https://github.com/auth0/auth0-angular">');
    const adOnIos = body.find((t) => t.id === "55e633dcfa7864d21a226053")!;
    expect(adOnIos).toMatchObject({ title: "AD on iOS", userInitials: "KL", replies: [] });
  });

  it("keeps the original creation times, so the newest seed ticket comes first", async () => {
    const { body } = await getJson<Ticket[]>(v100, "/tickets");
    expect(body[0]!.id).toBe("55e633f0fa7864d21a226054");
    expect(body[0]!.createdAt).toBe("2015-09-01T23:25:36.000Z");
  });
});

describe("both versions share one database", () => {
  it("a reply written through 1.0.0 is read through 1.0.1", async () => {
    const { res, body: reply } = await postJson<Reply>(v100, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "via 1.0.0" });
    expect(res.status).toBe(201);
    const { body: ticket } = await getJson<Ticket>(v101, `/tickets/${SOCIAL_AUTH}`);
    expect(ticket.replies.at(-1)).toEqual(reply);
  });

  it("a ticket created through 1.0.1 is read through 1.0.0", async () => {
    const { body: created } = await postJson<Ticket>(v101, "/tickets", { title: "Made by 1.0.1" });
    const { res, body } = await getJson<Ticket>(v100, `/tickets/${created.id}`);
    expect(res.status).toBe(200);
    expect(body).toEqual(created);
  });

  it("each version reports its own version", async () => {
    expect((await getJson(v100, "/health")).body).toMatchObject({ service: "tickets", version: "1.0.0" });
    expect((await getJson(v101, "/health")).body).toMatchObject({ service: "tickets", version: "1.0.1" });
  });

  it("GET /health names the deployed Worker version (version_metadata)", async () => {
    const { body } = await getJson<HealthBody>(v100, "/health");
    expect(body.deployment).toEqual({
      id: env.CF_VERSION_METADATA!.id,
      tag: env.CF_VERSION_METADATA!.tag || null,
      timestamp: env.CF_VERSION_METADATA!.timestamp,
    });
    expect(body.deployment?.id).toMatch(/\S/);
  });
});
