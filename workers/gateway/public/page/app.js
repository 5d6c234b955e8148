// The page's entry: the tickets views and search by URL fragment, the search box, and the three
// side panels.
import { byId } from "./dom.js";
import { liveFeed } from "./live-feed.js";
import { newTicketForm } from "./new-ticket.js";
import { onRoute } from "./router.js";
import { searchForm } from "./search-form.js";
import { searchView } from "./search-view.js";
import { subscriptionsPanel } from "./subscriptions-panel.js";
import { ticketList } from "./ticket-list.js";
import { ticketView } from "./ticket-view.js";
import { versionsPanel } from "./versions-panel.js";

const views = { list: byId("view-list"), ticket: byId("view-ticket"), new: byId("view-new"), search: byId("view-search") };
const headings = { list: byId("list-heading"), ticket: byId("ticket-heading"), new: byId("new-heading"), search: byId("search-heading") };
const list = ticketList();
const ticket = ticketView();
const box = searchForm((q) => void search.show(q));
const search = searchView(views.search, box);
newTicketForm(() => void list.load());
let firstRoute = true;

onRoute((route) => {
  for (const [name, view] of Object.entries(views)) view.hidden = name !== route.view;
  if (route.view === "list") void list.load();
  if (route.view === "ticket") void ticket.show(route.id);
  if (route.view === "search") {
    box.setQuery(route.q);
    void search.show(route.q);
  }
  // Moving between views moves focus to the new view's heading, so keyboard and screen-reader
  // users start there; not on the first load, where the page's own start is the right place.
  if (!firstRoute) headings[route.view].focus();
  firstRoute = false;
});

// A cut message (over 500 characters in a frame) is left for the ticket's own pages to show whole.
liveFeed({ onReply: (reply) => !reply.truncated && ticket.addReply(reply) });
versionsPanel();
subscriptionsPanel();
