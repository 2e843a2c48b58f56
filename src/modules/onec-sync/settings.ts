// The 1C sync module's settings (ONEC_SYNC_*). Parsed once by config.ts from this declaration. Where a 1C base may
// live is not a setting of this module: the hub-wide OUTBOUND_ALLOW_HOSTS lets a private or loopback 1C server in.
import { defineSettings, settingsOf, type HubConfig, type SettingsOf } from '../../config.js';

export const ONEC_SYNC_SETTINGS = defineSettings({
  publisherUser: {
    env: 'ONEC_SYNC_PUBLISHER_USER',
    kind: 'string',
    default: '',
    description: 'HTTP Basic user of the 1C handler publisher (POST /onec/update_handlers/set_handlers). Empty: publishing is off.',
  },
  publisherPassword: {
    env: 'ONEC_SYNC_PUBLISHER_PASSWORD',
    kind: 'string',
    default: '',
    secret: true,
    description: 'HTTP Basic password of the 1C handler publisher (set together with ONEC_SYNC_PUBLISHER_USER).',
  },
  batchWindowMs: {
    env: 'ONEC_SYNC_BATCH_WINDOW_MS',
    kind: 'int',
    default: '40',
    min: 0,
    max: 2000,
    description:
      'How long an idle account waits for more 1C calls before writing to amoCRM, so concurrent calls share one batch request (1C waits for each answer).',
  },
  batchMax: {
    env: 'ONEC_SYNC_BATCH_MAX',
    kind: 'int',
    default: '250',
    min: 1,
    max: 250,
    description: 'Most amoCRM entities in one batch write (amoCRM takes up to 250).',
  },
  fieldsCacheSeconds: {
    env: 'ONEC_SYNC_FIELDS_CACHE_SECONDS',
    kind: 'int',
    default: '300',
    min: 0,
    max: 86_400,
    description: "How long an account's amoCRM custom-field list is reused before it is read again (an unknown field re-reads it at once).",
  },
});

export type OnecSyncSettings = SettingsOf<typeof ONEC_SYNC_SETTINGS>;

/** Both publisher credentials or neither: one alone would leave set_handlers half-configured. */
export function checkOnecSyncSettings(s: OnecSyncSettings): string[] {
  return Boolean(s.publisherUser) === Boolean(s.publisherPassword)
    ? []
    : ['ONEC_SYNC_PUBLISHER_USER and ONEC_SYNC_PUBLISHER_PASSWORD are set together or not at all'];
}

/** The module's settings from a loaded config (for CLI commands, which build services without the module). */
export const onecSyncSettings = (config: HubConfig): OnecSyncSettings =>
  settingsOf(config, { name: 'onec-sync', settings: ONEC_SYNC_SETTINGS });
