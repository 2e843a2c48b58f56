// The customs module's settings (CUSTOMS_*). Parsed once by config.ts from this declaration.
import { defineSettings, settingsOf, type HubConfig, type SettingsOf } from '../../config.js';

export const ALBUM_VERSION_PATTERN = /^\d{1,3}\.\d{1,3}\.\d{1,3}$/;
/** RUSclt_ru:EDocCodeType of the album. */
export const EDOC_CODE_PATTERN = /^R(\.[A-Z]{2}\.[A-Z]{2}\.[0-9]{2})?\.[0-9]{3}$/;

export const CUSTOMS_SETTINGS = defineSettings({
  albumVersion: {
    env: 'CUSTOMS_ALBUM_VERSION',
    kind: 'string',
    default: '5.23.0',
    description:
      'FTS album of formats a ПТД is generated and XSD-validated against, unless the request names another (a folder of CUSTOMS_ALBUM_DIR).',
  },
  albumDir: {
    env: 'CUSTOMS_ALBUM_DIR',
    kind: 'string',
    default: '',
    description: "Folder holding one sub-folder of XSD files per album version. Empty: the repository's fts-album/.",
  },
  edocCode: {
    env: 'CUSTOMS_EDOC_CODE',
    kind: 'string',
    default: 'R.036',
    description:
      'EDocCode written in the ПТД header (EECEDocHeaderAddInfo); the default only matches the pattern — confirm the real code with Alta.',
  },
  onecRetrySeconds: {
    env: 'CUSTOMS_ONEC_RETRY_SECONDS',
    kind: 'int',
    default: '30',
    min: 1,
    max: 3600,
    description:
      'First wait before a 1C action (counterparty, invoice, payment) is tried again after 1C was unreachable; it doubles on each of up to 10 attempts (capped at an hour).',
  },
});

export type CustomsSettings = SettingsOf<typeof CUSTOMS_SETTINGS>;

export function checkCustomsSettings(s: CustomsSettings): string[] {
  const problems: string[] = [];
  if (!ALBUM_VERSION_PATTERN.test(s.albumVersion)) problems.push(`CUSTOMS_ALBUM_VERSION must look like 5.23.0, got "${s.albumVersion}"`);
  if (!EDOC_CODE_PATTERN.test(s.edocCode)) problems.push(`CUSTOMS_EDOC_CODE must match R(.XX.XX.NN)?.NNN, got "${s.edocCode}"`);
  return problems;
}

/** The module's settings from a loaded config (for CLI commands, which build services without the module). */
export const customsSettings = (config: HubConfig): CustomsSettings => settingsOf(config, { name: 'customs', settings: CUSTOMS_SETTINGS });
