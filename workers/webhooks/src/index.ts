// The webhooks Worker: consumes webhook-events (the fan-out) and webhook-deliveries (the attempts).
export default {
  queue: async (batch) => {
    for (const message of batch.messages) message.retry();
  },
} satisfies ExportedHandler<Env>;
