// The seed tickets (workers/tickets/seed/seed.sql), newest first as the list shows them.
export const SEED_TICKETS = [
  { id: "55e633f0fa7864d21a226054", title: "Developer account?", replies: 1 },
  { id: "55e633dcfa7864d21a226053", title: "AD on iOS", replies: 0 },
  { id: "55e633b9fa7864d21a226052", title: "Social Authentication", replies: 1 },
] as const;

export const SOCIAL_AUTH = "55e633b9fa7864d21a226052";
export const AD_ON_IOS = "55e633dcfa7864d21a226053";
