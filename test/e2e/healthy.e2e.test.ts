// The page at / in Chromium, on a system whose tickets 1.0.1 never fails (FAILURE_RATE 0), so
// every answer says which version served it without chance: 1.0.1, the newest.
import { accessibilityCases } from "./cases/accessibility.ts";
import { liveFeedCases } from "./cases/live-feed.ts";
import { screenshotCase } from "./cases/screenshot.ts";
import { searchCases } from "./cases/search.ts";
import { securityCases } from "./cases/security.ts";
import { subscriptionCases } from "./cases/subscriptions.ts";
import { ticketCases } from "./cases/tickets.ts";
import { useE2eSystem } from "./support/suite.ts";

const suite = useE2eSystem("e2e-page", "0");
// First, on the seed data alone: the README's picture.
screenshotCase(suite);
ticketCases(suite);
liveFeedCases(suite);
searchCases(suite);
subscriptionCases(suite);
accessibilityCases(suite);
securityCases(suite);
