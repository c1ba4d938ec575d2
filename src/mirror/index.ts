// The event mirror: webhook subscriptions fed from the outbox (issue 8, deliverable 2).
import { createSecretBox, parseKeys } from '../security/secret-box.js';
import type { Database } from '../store/db.js';
import type { Log } from '../workflow/log.js';
import { createMirror, type Mirror, type MirrorOptions } from './deliver.js';
import { createEventBridgeSink, type EventBridgeTarget } from './eventbridge.js';
import { subscriptionRoutes } from './routes.js';

export { createMirror, retryDelay, DEFAULT_RETRY, type Mirror, type MirrorOptions, type RetryPolicy } from './deliver.js';
export { createEventBridgeSink, cursorId, type EventBridgeOptions, type EventBridgeTarget } from './eventbridge.js';
export { subscriptionRoutes } from './routes.js';
export { addressRefusal, destinationRefusal, urlRefusal, type DestinationPolicy, type Resolve } from './destination.js';
export { generateSecret, secretKey, signWebhook } from './standard-webhooks.js';

/** The mirror's halves for the composition root; both open secrets with the same keys. */
export function eventMirror(options: { database: Database; secrets: { encryptionKeys: string }; log: Log } & Partial<Omit<MirrorOptions, 'database' | 'box' | 'log'>>): {
  routes: ReturnType<typeof subscriptionRoutes>;
  delivery: () => Mirror;
  eventBridge: (target: EventBridgeTarget) => Mirror;
} {
  const box = createSecretBox(parseKeys(options.secrets.encryptionKeys));
  const destinations = options.destinations ?? { allowInsecure: false };
  return {
    routes: subscriptionRoutes({ database: options.database.db, box, destinations }),
    delivery: () => createMirror({ ...options, box }),
    eventBridge: (target) => createEventBridgeSink({ database: options.database, log: options.log, ...target }),
  };
}
