// The amoCRM emulator as its own process for benchmarks: real amoCRM is a remote server, so its work must not
// share the hub's event loop. Prints one JSON line: the origin and the hub settings that point at it.
//   node --import tsx bench/servers/amo-emulator.ts <redirect URI>
import { createAmoEmulator } from '../../src/emulators/amocrm/index.js';

const emulator = createAmoEmulator({ redirectUri: process.argv[2]! });
const origin = await emulator.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ origin, settings: emulator.hubSettings() })}\n`);
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
