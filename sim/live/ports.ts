/**
 * A generator inside the coordinator's own process (tests, and `--generators 0` for a small
 * run): the same `Generator` the child processes run, behind the same `GeneratorPort`.
 *
 * Invariant: messages are delivered asynchronously and in order in both directions (a FIFO
 * drained on the next turn), as over IPC — so the coordinator's ordering argument holds and a
 * test exercises the same message flow as a run with processes.
 */
import { Generator } from "./generator.js"
import type { FromGenerator, GeneratorPort, ToGenerator } from "./messages.js"

class Fifo<T> {
  private readonly items: T[] = []
  private armed = false
  constructor(private readonly deliver: (m: T) => void) {}
  push(m: T): void {
    this.items.push(m)
    if (this.armed) return
    this.armed = true
    setImmediate(() => {
      this.armed = false
      for (const item of this.items.splice(0)) this.deliver(item)
    })
  }
}

export const inProcessPort = (): GeneratorPort => {
  let handler: (m: FromGenerator) => void = () => {}
  const up = new Fifo<FromGenerator>((m) => handler(m))
  const generator = new Generator((m) => up.push(m))
  const down = new Fifo<ToGenerator>((m) => generator.handle(m))
  return {
    send: (m) => down.push(m),
    onMessage: (h) => void (handler = h),
    onExit: () => {},
    close: async () => {}
  }
}
