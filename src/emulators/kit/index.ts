// The emulator kit: the partner-neutral parts every partner emulator is built from — an emulated clock, fault
// injection with a per-partner fault catalogue, a request log, the request gate that applies them, the /_emulator
// control API, the Fastify app with its listen/close life cycle, and the `hub emulator` CLI scaffolding.
// See docs/emulators/kit.md; src/emulators/amocrm/ is the full example.
export { EmulatorClock } from './clock.js';
export { FaultInjector, type FaultAction, type FaultRule, type FaultRuleInput, type InjectedFault, type OutageMode } from './faults.js';
export { RequestLog, type LogFilter, type NoFields, type RequestLogEntry, type RequestLogFilter } from './request-log.js';
export { createEmulatorCore, type CoreControl, type EmulatorCore, type EmulatorCoreOptions } from './core.js';
export { registerGate, type GateOptions, type RequestClass } from './gate.js';
export { CONTROL_PREFIX, bodyOf, num, ok, registerControlRoutes, str, type ControlRoutesOptions } from './control-routes.js';
export { createEmulatorApp, emulatorListener, type EmulatorAppOptions, type EmulatorListener } from './server.js';
export { emulatorGroup, serveUntilSignal, settingsLines } from './cli.js';
