/**
 * Faults during a run (`--fault '10m latency 300ms±100'`, `'30m vpn-cut 25%'`,
 * `'45m server-closing'`), applied at their time through mock-odigo's fault API
 * (`POST /admin/faults`, CCTP 8.1: "loss of access to Odigo through VPN failure").
 *
 * Grammar: `WHEN KIND [ARGS] [for DURATION]`
 * - WHEN: a wall-clock offset from the start of the load (`90s`, `10m`, `1h30m`), or `@HH:MM`, a
 *   time of the scenario's day (day runs only);
 * - KIND and ARGS: `latency MS[±JITTER]` (every server frame delayed), `drop PCT%` (frames
 *   dropped), `vpn-cut PCT%` (that share of the logged-in agents cut without a close frame; they
 *   reconnect), `refuse-connections` (new websockets refused), `server-closing` (the notice to
 *   every connection), `clear` (every setting back to none);
 * - `for DURATION`: the setting is cleared after that long (latency, drop, refuse-connections).
 *
 * Invariant: a schedule parses whole or not at all, each problem named with its fault; every
 * fault of a run happens inside the run (a fault after its end is refused before it starts).
 */
export type FaultKind = "latency" | "drop" | "vpn-cut" | "refuse-connections" | "server-closing" | "clear"

export interface Fault {
  readonly source: string
  /** Offset from the start, real ms; or a time of day (simulated seconds since midnight). */
  readonly when: { readonly kind: "offset"; readonly ms: number } | { readonly kind: "timeOfDay"; readonly seconds: number }
  readonly kind: FaultKind
  readonly latencyMs: number
  readonly jitterMs: number
  /** drop and vpn-cut: a fraction. */
  readonly share: number
  /** Real ms after which the setting is cleared; null: until the end (or a later fault). */
  readonly forMs: number | null
}

/** `90s`, `10m`, `1h30m`, `500ms`, `2.5s` → ms; undefined when it is not a duration. */
export const parseDuration = (s: string): number | undefined => {
  const m = /^(?:([0-9]+(?:\.[0-9]+)?)h)?(?:([0-9]+(?:\.[0-9]+)?)m(?!s))?(?:([0-9]+(?:\.[0-9]+)?)s)?(?:([0-9]+(?:\.[0-9]+)?)ms)?$/.exec(s.trim())
  if (m === null || s.trim() === "" || m.slice(1).every((x) => x === undefined)) return undefined
  const [h, min, sec, ms] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number]
  return Math.round(((h * 60 + min) * 60 + sec) * 1000 + ms)
}

const FOR = /\s+for\s+(\S+)\s*$/

export const parseFault = (source: string): Fault | string => {
  let text = source.trim()
  let forMs: number | null = null
  const f = FOR.exec(text)
  if (f !== null) {
    const d = parseDuration(f[1]!)
    if (d === undefined || d <= 0) return `"for ${f[1]}": expected a duration such as 30s or 5m`
    forMs = d
    text = text.slice(0, f.index)
  }
  const words = text.split(/\s+/)
  const [when, kind, arg] = words as [string | undefined, string | undefined, string | undefined]
  if (when === undefined || kind === undefined) return "expected WHEN KIND [ARGS] [for DURATION], e.g. '10m latency 300ms±100', '30m vpn-cut 25%', '45m server-closing'"
  let w: Fault["when"]
  const tod = /^@([01]?[0-9]|2[0-3]):([0-5][0-9])$/.exec(when)
  if (tod !== null) w = { kind: "timeOfDay", seconds: Number(tod[1]) * 3600 + Number(tod[2]) * 60 }
  else {
    const ms = parseDuration(when)
    if (ms === undefined) return `when ${JSON.stringify(when)}: expected an offset from the start (90s, 10m, 1h30m) or @HH:MM`
    w = { kind: "offset", ms }
  }
  const base = { source: source.trim(), when: w, latencyMs: 0, jitterMs: 0, share: 0, forMs }
  const pct = (a: string | undefined): number | string => {
    const m = a === undefined ? null : /^([0-9]+(?:\.[0-9]+)?)%$/.exec(a)
    if (m === null) return `${kind}: expected a share such as 25%`
    const v = Number(m[1]) / 100
    return v > 0 && v <= 1 ? v : `${kind}: the share must be in (0%, 100%]`
  }
  if (words.length > 3) return `unexpected ${JSON.stringify(words.slice(3).join(" "))}`
  switch (kind) {
    case "latency": {
      const m = arg === undefined ? null : /^([0-9]+)(?:ms)?(?:(?:±|\+-|\+\/-)([0-9]+)(?:ms)?)?$/.exec(arg)
      if (m === null) return "latency: expected MS[±JITTER], e.g. 300ms±100"
      const latencyMs = Number(m[1])
      const jitterMs = m[2] === undefined ? 0 : Number(m[2])
      if (latencyMs > 60_000 || jitterMs > 60_000) return "latency: at most 60000 ms (and as much jitter)"
      return { ...base, kind, latencyMs, jitterMs }
    }
    case "drop":
    case "vpn-cut": {
      const share = pct(arg)
      if (typeof share === "string") return share
      if (kind === "vpn-cut" && forMs !== null) return "vpn-cut is a one-off cut: no 'for'"
      return { ...base, kind, share }
    }
    case "refuse-connections":
    case "server-closing":
    case "clear":
      if (arg !== undefined) return `${kind} takes no argument`
      if (kind !== "refuse-connections" && forMs !== null) return `${kind} is a one-off action: no 'for'`
      return { ...base, kind }
    default:
      return `unknown fault ${JSON.stringify(kind)}; expected latency, drop, vpn-cut, refuse-connections, server-closing or clear`
  }
}

/** Real ms from the start at which a fault happens (`@HH:MM` on a day run's scenario clock). */
export const faultOffsetMs = (f: Fault, window: { readonly startSeconds: number; readonly dayStartSeconds: number | null }, speed: number): number | string => {
  if (f.when.kind === "offset") return f.when.ms
  if (window.dayStartSeconds === null) return `${f.source}: @HH:MM needs a day run of a dated scenario; give an offset such as 10m`
  const sim = window.dayStartSeconds + f.when.seconds
  if (sim < window.startSeconds) return `${f.source}: ${f.source.split(/\s+/)[0]} is before the run starts`
  return ((sim - window.startSeconds) / speed) * 1000
}
