/** A small typed event emitter (no Node `events` import, so it runs in browsers as is). */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;
/** An event map: each event's listener signature (an interface qualifies). */
export type EventMap<Events> = { [E in keyof Events]: Listener };

export class Emitter<Events extends EventMap<Events>> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();

  on<E extends keyof Events>(event: E, listener: Events[E]): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off<E extends keyof Events>(event: E, listener: Events[E]): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  once<E extends keyof Events>(event: E, listener: Events[E]): this {
    const once = ((...args: Parameters<Events[E]>) => {
      this.off(event, once);
      listener(...args);
    }) as Events[E];
    return this.on(event, once);
  }

  /**
   * Calls every listener of `event`. A listener that throws does not stop the
   * others or the client's own bookkeeping: its error is thrown again on its
   * own, outside the client (an uncaught error, as with any event emitter).
   */
  protected emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (err) {
        setTimeout(() => {
          throw err;
        });
      }
    }
  }
}
