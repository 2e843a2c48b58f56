// The 1C connector's settings (ONEC_*). 1C bases are saved by the tenants themselves (web_address, login and
// password arrive with "Первичная синхронизация", seed 001 §2.2), so there are no credentials here: only how long a
// base may take and whether its address may be on a private network.
import { defineSettings, type SettingsOf } from '../../config.js';

export const ONEC_SETTINGS = defineSettings({
  timeoutMs: {
    env: 'ONEC_TIMEOUT_MS',
    kind: 'int',
    default: '30000',
    min: 100,
    max: 600_000,
    description: 'How long one request to a 1C base may take (1C handlers are slow on large bases); a write that times out is ambiguous.',
  },
  allowPrivateTargets: {
    env: 'ONEC_ALLOW_PRIVATE_TARGETS',
    kind: 'bool',
    default: 'false',
    description:
      'Allow 1C web_address values on private or loopback networks (a hub inside the same LAN as its 1C servers). Off: such addresses are refused (SSRF guard); OUTBOUND_ALLOW_HOSTS still allows single hosts.',
  },
});

export type OnecSettings = SettingsOf<typeof ONEC_SETTINGS>;
