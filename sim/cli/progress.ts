/**
 * A progress bar on stderr — only when stderr is a terminal, so logs, pipes and CI stay clean.
 * Redraws at most every 100 ms.
 */
export interface Progress {
  update(fractionDone: number): void
  done(): void
}

const silent: Progress = { update: () => {}, done: () => {} }

export const progressBar = (label: string, stream: NodeJS.WriteStream = process.stderr): Progress => {
  if (!stream.isTTY) return silent
  const started = Date.now()
  let last = 0
  const width = 30
  const draw = (f: number) => {
    const filled = Math.round(Math.min(Math.max(f, 0), 1) * width)
    const secs = ((Date.now() - started) / 1000).toFixed(1)
    stream.write(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${secs} s`)
  }
  return {
    update(f) {
      const now = Date.now()
      if (now - last < 100) return
      last = now
      draw(f)
    },
    done() {
      draw(1)
      stream.write("\n")
    }
  }
}
