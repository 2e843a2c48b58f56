// Collects what is asked for while the event loop handles one round of socket events and hands it over in one
// piece when that round ends (setImmediate). A busy server reads many requests per round, so their limit checks
// share one round trip to the store; a lone request waits for nothing but the end of its own round.
export class RoundBatch<T> {
  #items: T[] = [];

  constructor(private readonly flush: (items: T[]) => void) {}

  add(...items: T[]): void {
    const wasEmpty = this.#items.length === 0;
    this.#items.push(...items);
    if (wasEmpty) setImmediate(this.#run);
  }

  readonly #run = (): void => {
    const items = this.#items;
    this.#items = [];
    this.flush(items);
  };
}
