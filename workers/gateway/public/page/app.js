// The page's entry: the tickets views by URL fragment, and the three side panels.
import { byId } from "./dom.js";
import { liveFeed } from "./live-feed.js";
import { newTicketForm } from "./new-ticket.js";
import { onRoute } from "./router.js";
import { subscriptionsPanel } from "./subscriptions-panel.js";
import { ticketList } from "./ticket-list.js";
import { ticketView } from "./ticket-view.js";
import { versionsPanel } from "./versions-panel.js";

const views = { list: byId("view-list"), ticket: byId("view-ticket"), new: byId("view-new") };
const headings = { list: byId("list-heading"), ticket: byId("ticket-heading"), new: byId("new-heading") };
const list = ticketList();
const ticket = ticketView();
newTicketForm(() => void list.load());
let firstRoute = true;

onRoute((route) => {
  for (const [name, view] of Object.entries(views)) view.hidden = name !== route.view;
  if (route.view === "list") void list.load();
  if (route.view === "ticket") void ticket.show(route.id);
  // Moving between views moves focus to the new view's heading, so keyboard and screen-reader
  // users start there; not on the first load, where the page's own start is the right place.
  if (!firstRoute) headings[route.view].focus();
  firstRoute = false;
});

// A cut message (over 500 characters in a frame) is left for the ticket's own pages to show whole.
liveFeed({ onReply: (reply) => !reply.truncated && ticket.addReply(reply) });
versionsPanel();
subscriptionsPanel();
