// The tracking module's settings (TRACKING_*). Parsed once by config.ts from this declaration.
import { defineSettings, settingsOf, type HubConfig, type SettingsOf } from '../../config.js';

export const TRACKING_SETTINGS = defineSettings({
  rateLimitPerMinute: {
    env: 'TRACKING_RATE_LIMIT_PER_MINUTE',
    kind: 'int',
    default: '60',
    min: 1,
    max: 60_000,
    description: 'Default requests per minute for a new tracking API key.',
  },
});

export type TrackingSettings = SettingsOf<typeof TRACKING_SETTINGS>;

/** The module's settings from a loaded config (for CLI commands, which build services without the module). */
export const trackingSettings = (config: HubConfig): TrackingSettings =>
  settingsOf(config, { name: 'tracking', settings: TRACKING_SETTINGS });
