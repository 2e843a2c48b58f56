// The smallest complete module, to copy into src/modules/<name>/ (see docs/architecture.md, "Adding a module").
// The entrance: one descriptor with the module's name, URL prefix, settings, docs, tags and CLI, and a factory
// that wires services, queues and routes. Nothing else in the hub needs editing but one line in src/app.ts.
import { defineModule } from '../../../src/platform/module.js';
import { EXAMPLE_SETTINGS } from './settings.js';
import { EVENTS } from './queues.js';
import { EventService } from './service.js';
import { exampleRoutes, TAG } from './routes.js';
import { exampleCli } from './cli.js';

export function createExampleModule() {
  return defineModule({
    name: 'example',
    prefix: '/example',
    docs: 'docs/templates/module/README.md',
    settings: EXAMPLE_SETTINGS,
    tags: [{ name: TAG, description: 'The template module' }],
    cli: exampleCli,
    create({ hub, settings }) {
      const events = new EventService(hub);
      return {
        api: events,
        queues: [hub.inbox.queue(EVENTS, (message) => events.handle(message.body))],
        routes: (app) => exampleRoutes(app, { hub, greeting: settings.greeting }),
      };
    },
  });
}

export const exampleModule = createExampleModule();
