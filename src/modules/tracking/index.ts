// Entrance of the cargo-tracking module (seed 004): the public API under /api/v1 with API keys, rate limits and
// usage history, the operator API under /admin/v1/tracking, and the status-change webhook queue.
import { defineModule } from '../../platform/module.js';
import { TRACKING_SETTINGS } from './settings.js';
import { trackingCli } from './cli.js';
import { BotService } from './bots.js';
import { KeyService, onKeyCreated } from './keys.js';
import { KeyCache } from './key-cache.js';
import { UsageRecorder } from './usage.js';
import { ActivityMonitor } from './monitor.js';
import { senderPolicy } from '../../platform/outbound/policy.js';
import { WebhookService } from './webhooks.js';
import { TrackingService } from './tracking.js';
import { ClientService } from './clients.js';
import { publicRoutes } from './routes.js';
import { adminRoutes } from './admin-routes.js';
import { operatorRoutes } from './admin-operator-routes.js';
import { DEFAULT_OPTIONS, type TrackingOptions } from './options.js';

export type { TrackingOptions } from './options.js';

export function createTrackingModule(overrides: Partial<TrackingOptions> = {}) {
  const options: TrackingOptions = { ...DEFAULT_OPTIONS, ...overrides };
  return defineModule({
    name: 'tracking',
    prefix: '/api/v1',
    docs: 'docs/modules/tracking.md',
    settings: TRACKING_SETTINGS,
    securitySchemes: {
      trackingApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Tracking API key, tb_ + 32 characters' },
    },
    tags: [
      {
        name: 'tracking',
        description: 'API отслеживания грузов (seed 004): трек-номера, клиенты, статистика. Ключ в заголовке X-API-Key.',
      },
      { name: 'admin: tracking', description: 'Tracking bots and API keys (operator API)' },
      { name: 'admin: tracking webhooks', description: 'Tracking status-change webhooks: endpoints, delivery log, redelivery' },
    ],
    cli: trackingCli,
    create({ hub, settings }) {
      const bots = new BotService(hub);
      const keys = new KeyService(hub, settings.rateLimitPerMinute);
      const keyCache = new KeyCache(keys);
      onKeyCreated(hub, (hash) => keyCache.forgetUnknown(hash));
      const usage = new UsageRecorder(hub, options.usageFlushMs);
      const monitor = new ActivityMonitor(hub, options);
      const webhooks = new WebhookService(
        hub,
        hub.transport(senderPolicy('tracking-webhooks'), { timeoutMs: options.webhookTimeoutMs }),
        options,
      );
      const tracking = new TrackingService(hub, webhooks);
      const clients = new ClientService(hub);
      return {
        queues: [webhooks.queue()],
        routes: (app) => publicRoutes(app, { hub, keys: keyCache, usage, monitor, options, bots, tracking, clients }),
        adminRoutes: (app) => {
          adminRoutes(app, { hub, bots, keys, webhooks, usage });
          operatorRoutes(app, { tracking });
        },
      };
    },
  });
}

export const trackingModule = createTrackingModule();
