// The module's logic, knowing nothing of HTTP: what happens to an accepted event.
import type { Hub } from '../../../src/platform/hub.js';
import { exampleError } from './errors.js';

export interface ExampleEvent {
  readonly type: string;
}

export class EventService {
  readonly handled: ExampleEvent[] = [];

  constructor(private readonly hub: Hub) {}

  /** Runs in a worker for every accepted event; throwing retries it, a PermanentJobError dead-letters it. */
  async handle(body: string): Promise<{ type: string }> {
    const event = JSON.parse(body) as ExampleEvent;
    if (!event.type) throw exampleError('EXAMPLE_EMPTY_EVENT');
    this.handled.push(event);
    this.hub.log.info({ type: event.type }, 'example: event handled');
    return { type: event.type };
  }
}
