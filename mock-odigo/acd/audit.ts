/**
 * The ACD's conservation check: no call lost, none duplicated, agents and calls agree.
 *
 * `audit(platform)` walks every structure and returns one line per violation (empty when all
 * is well). Tests call it after every test (through `GET /admin/audit`), the load bench calls
 * it at the end of a run. It is O(calls + agents) and meant for checks, not the hot path.
 */
import { FLOW_CODES } from "../../sim/domain/vocabulary.js"
import { SESSION_STATES } from "./states.js"
import type { Platform } from "./platform.js"

/** Counts of calls by status, as `GET /admin/audit` reports them. */
export interface CallCensus {
  injected: number
  answered: number
  abandoned: number
  queued: number
  ringing: number
  connected: number
}

export function census(p: Platform): CallCensus {
  let queued = 0
  let ringing = 0
  let connected = 0
  for (const c of p.live.values()) {
    if (c.status === "queued") queued++
    else if (c.status === "ringing") ringing++
    else if (c.status === "connected") connected++
  }
  return { injected: p.totals.injected, answered: p.totals.answered, abandoned: p.totals.abandoned, queued, ringing, connected }
}

export function audit(p: Platform): Array<string> {
  const v: Array<string> = []
  const c = census(p)
  // `answered` counts calls at the moment they are answered, so connected calls are in it.
  if (c.injected !== c.answered + c.abandoned + c.queued + c.ringing) {
    v.push(`conservation: injected ${c.injected} != answered ${c.answered} + abandoned ${c.abandoned} + queued ${c.queued} + ringing ${c.ringing}`)
  }
  if (p.live.size !== c.queued + c.ringing + c.connected) v.push(`live calls ${p.live.size} include a call with an ended status`)
  for (const ref of p.live.keys()) if (p.ended.has(ref)) v.push(`call ${ref} is both live and ended (duplicated)`)

  const seen = new Set<string>()
  for (const f of FLOW_CODES) {
    const q = p.queues[f]
    let n = 0
    let prev: { arrivedAtMs: number; seq: number } | undefined
    for (const call of q) {
      n++
      if (seen.has(call.ref)) v.push(`call ${call.ref} appears twice in the queues`)
      seen.add(call.ref)
      if (call.queue !== q) v.push(`call ${call.ref} is linked in queue ${f} but names another queue`)
      if (call.status !== "queued") v.push(`call ${call.ref} is in queue ${f} with status ${call.status}`)
      if (call.flow !== f) v.push(`call ${call.ref} of flow ${call.flow} is in queue ${f}`)
      if (p.live.get(call.ref) !== call) v.push(`queued call ${call.ref} is not in the live set`)
      if (prev !== undefined && (call.arrivedAtMs < prev.arrivedAtMs || (call.arrivedAtMs === prev.arrivedAtMs && call.seq < prev.seq))) {
        v.push(`queue ${f} is out of arrival order at ${call.ref}`)
      }
      prev = call
    }
    if (n !== q.size) v.push(`queue ${f} holds ${n} calls but its size says ${q.size}`)
    let ringing = 0
    for (const call of p.live.values()) if (call.flow === f && call.status === "ringing") ringing++
    if (ringing !== p.ringing[f]) v.push(`flow ${f}: ${ringing} ringing calls but the counter says ${p.ringing[f]}`)
  }

  for (const call of p.live.values()) {
    if (call.status === "queued") {
      if (!seen.has(call.ref)) v.push(`call ${call.ref} has status queued but is in no queue (lost)`)
      continue
    }
    const a = call.agent
    if (a === undefined) v.push(`call ${call.ref} is ${call.status} without an agent`)
    else if (a.call !== call) v.push(`call ${call.ref} is ${call.status} on ${a.account.login}, whose current call is ${a.call?.ref ?? "none"}`)
    else if (call.status === "ringing" && a.state !== "offered") v.push(`call ${call.ref} rings on ${a.account.login} in state ${a.state}`)
    else if (call.status === "connected" && a.state !== "onCall" && a.state !== "pendingNotReady") {
      v.push(`call ${call.ref} is connected to ${a.account.login} in state ${a.state}`)
    }
    if (call.queue !== undefined) v.push(`call ${call.ref} is ${call.status} but still linked in a queue`)
  }

  const counts: Record<string, number> = {}
  for (const [login, a] of p.sessions) {
    counts[a.state] = (counts[a.state] ?? 0) + 1
    if (!SESSION_STATES.includes(a.state)) v.push(`session ${login} is in state ${a.state}`)
    const needsCall = a.state === "offered" || a.state === "onCall" || a.state === "pendingNotReady" || a.state === "wrapUp"
    if (needsCall !== (a.call !== undefined)) v.push(`agent ${login} in state ${a.state} ${a.call === undefined ? "has no call" : `holds call ${a.call.ref}`}`)
    if (a.call !== undefined && a.state !== "wrapUp" && p.live.get(a.call.ref) !== a.call) v.push(`agent ${login} holds call ${a.call.ref}, which is not live`)
    const inPool = p.readyPool.has(login)
    const shouldBe = a.state === "ready" && a.sink !== undefined
    if (inPool !== shouldBe) v.push(`agent ${login} (state ${a.state}, ${a.sink === undefined ? "disconnected" : "connected"}) ${inPool ? "is" : "is not"} in the ready pool`)
    if ((a.sink === undefined) !== (a.graceTimer !== undefined)) v.push(`agent ${login}: a disconnected session must have a grace timer, a connected one none`)
  }
  for (const s of SESSION_STATES) {
    if ((counts[s] ?? 0) !== p.stateCounts[s]) v.push(`state ${s}: ${counts[s] ?? 0} agents but the counter says ${p.stateCounts[s]}`)
  }
  if (p.stateCounts.loggedOut !== 0) v.push(`loggedOut counter is ${p.stateCounts.loggedOut}`)
  for (const login of p.readyPool.keys()) if (!p.sessions.has(login)) v.push(`ready pool holds ${login}, who has no session`)
  const first = p.readyPool.first()
  for (const login of p.readyPool.keys()) {
    const a = p.sessions.get(login)
    if (first !== undefined && a !== undefined && a.readySeq < first.readySeq) v.push(`ready pool offers ${first.account.login} first, but ${login} has been ready longer`)
  }
  return v
}
