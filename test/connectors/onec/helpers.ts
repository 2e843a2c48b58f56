// Shared set-up for the 1C connector tests: an in-process 1C emulator on a real loopback port and a hub (connectors
// only) whose 1C connector waits on a test clock, so retry back-off costs no real time.
import type { TestContext } from 'node:test';
import { amocrmConnector } from '../../../src/connectors/amocrm/index.js';
import { createOnecConnector, type OnecConnector, type OnecTarget } from '../../../src/connectors/onec/index.js';
import { createOnecEmulator, type OnecEmulator, type OnecEmulatorOptions } from '../../../src/emulators/onec/index.js';
import { TestClock } from '../../helpers/clock.js';
import { testHub, type TestHub } from '../../helpers/hub.js';

export interface OnecTestBed {
  readonly emu: OnecEmulator;
  readonly h: TestHub;
  readonly onec: OnecConnector;
  readonly target: OnecTarget;
  readonly clock: TestClock;
}

/** `env` replaces the default ONEC_ALLOW_PRIVATE_TARGETS=true (the emulator listens on loopback). */
export async function onecTestBed(
  t: TestContext,
  opts: { env?: Record<string, string>; emulator?: OnecEmulatorOptions } = {},
): Promise<OnecTestBed> {
  const emu = createOnecEmulator(opts.emulator);
  await emu.listen();
  const clock = new TestClock();
  const h = await testHub(t, {
    env: opts.env ?? { ...emu.hubSettings(), ONEC_TIMEOUT_MS: '5000' },
    modules: [],
    connectors: [amocrmConnector, createOnecConnector({ clock })],
  });
  // Registered after the hub: node:test runs `after` hooks in order, so the hub closes first.
  t.after(() => emu.close());
  const d = emu.defaults;
  const target: OnecTarget = { key: 31_000_001, idBase: d.idBase, webAddress: emu.webAddress(), login: d.login, password: d.password };
  return { emu, h, onec: h.connectors.onec, target, clock };
}

/** Runs `fn` and returns what it threw (fails when it did not throw). */
export async function failure<T = unknown>(fn: () => Promise<unknown>): Promise<T> {
  try {
    await fn();
  } catch (err) {
    return err as T;
  }
  throw new Error('expected a failure');
}
