/**
 * A small typed event emitter with no platform in it, so the engine and the mining session run in
 * Node and in a browser alike. Listeners run in the order they were added; a listener that throws
 * stops the emit, as Node's EventEmitter does.
 */
type Listener<Args extends unknown[]> = (...args: Args) => void;
type AnyListener = (...args: unknown[]) => void;

export class Emitter<Events extends Record<keyof Events, unknown[]>> {
  private readonly listeners = new Map<keyof Events, AnyListener[]>();

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as unknown as AnyListener);
    this.listeners.set(event, list);
    return this;
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const list = this.listeners.get(event);
    const at = list?.indexOf(listener as unknown as AnyListener) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
    return this;
  }

  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const wrapped: Listener<Events[K]> = (...args) => {
      this.off(event, wrapped);
      listener(...args);
    };
    return this.on(event, wrapped);
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  protected emit<K extends keyof Events>(event: K, ...args: Events[K]): boolean {
    const list = this.listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const listener of list.slice()) listener(...(args as unknown[]));
    return true;
  }
}

/** Resolves with the next `event` of `emitter` (its arguments), like Node's events.once. */
export function nextOf<Events extends Record<keyof Events, unknown[]>, K extends keyof Events>(
  emitter: Emitter<Events>,
  event: K,
): Promise<Events[K]> {
  return new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));
}
