/**
 * Hostile input (issue 16): every file of test/fixtures/hostile/, and the ones too large to
 * commit (made here), goes through `ccsim validate` and `ccsim run` as a user would run them,
 * in a child process with a 512 MB heap and a deadline. Each must end in exit 2 with a short,
 * plain message naming the problem — never a stack trace, never minutes, never gigabytes.
 */
import { execFile, spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { root } from "./run-cli.js"

const fixtures = join(root, "test/fixtures/hostile")
const tmp = mkdtempSync(join(tmpdir(), "ccsim-hostile-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Deadline of one command (the VM is slow at times: ~1 s is usual, minutes is the bug). */
const DEADLINE_MS = 30_000

const write = (name: string, text: string | Buffer) => {
  const p = join(tmp, name)
  writeFileSync(p, text)
  return p
}

const dated = (extra: string) =>
  `name: hostile\nhorizon: { from: 2026-01-01, to: 2026-03-31 }\ncalendar: {}\narrivals: { forecast: { csv: forecast.csv } }\nagents: 10\n${extra}`

/** Files too large to commit, or that git cannot hold (a FIFO), made once for the suite. */
const generated = (): Array<[string, string, RegExp]> => {
  const cases: Array<[string, string, RegExp]> = []
  // A 900 KB name (under the 1 MB limit): the message quotes 80 characters of it.
  cases.push(["huge name", write("huge-name.yaml", `name: ${"n".repeat(900_000)}\nhorizon: { hours: 1 }\n`), /name: Expected a name.*, got "n{79}…" \(900,000 characters\)\n/])
  // Over the 1 MB limit of a scenario file.
  cases.push(["2 MB scenario", write("too-big.yaml", `# ${"x".repeat(2 * 1024 * 1024)}\n`), /too large: 2 MB; the limit for a scenario file is 1 MB/])
  // 300,000 list items: the YAML library took 5 µs and 600 bytes each.
  cases.push(["300,000 tokens", write("many-tokens.yaml", `name: x\ndescription: [${"0,".repeat(150_000)}0]\n`), /too large a YAML document: more than 200,000 tokens/])
  // 15,000 keys: the YAML library's duplicate check compared every key with every other (quadratic: 40,000 took 11 s).
  const keys = Array.from({ length: 15_000 }, (_, i) => `  k${i}: 1`).join("\n")
  cases.push(["15,000 keys and a duplicate", write("many-keys.yaml", `name: x\ncallers:\n${keys}\n  k7: 2\n`), /many-keys\.yaml:15003:3: syntax error: the key "k7" appears twice/])
  // A FIFO: opening it for reading would wait for a writer forever.
  const fifo = join(tmp, "fifo.yaml")
  expect(spawnSync("mkfifo", [fifo]).status).toBe(0)
  cases.push(["FIFO", fifo, /not a regular file \(a device, FIFO or socket\)/])
  // A 60 MB forecast CSV (sparse: no disk used), over the 50 MB limit.
  truncateSync(write("forecast.csv", ""), 60 * 1024 * 1024)
  cases.push(["60 MB CSV", write("big-csv.yaml", dated("")), /arrivals\.forecast\.csv: forecast\.csv: too large: 60 MB; the limit for a csv file is 50 MB/])
  // 4,000,000 rows of garbage (48 MB, just under the limit) in the plan CSV: the reader stops
  // after 200 problems, and never splits the rest (splitting it all took 10 s and 350 MB).
  write("garbage.csv", "start,phone\n" + "garbage,row\n".repeat(4_000_000))
  cases.push([
    "4,000,000 bad CSV rows",
    write("garbage-csv.yaml", "name: hostile\nhorizon: { from: 2026-01-01, to: 2026-03-31 }\ncalendar: {}\narrivals: { forecast: {} }\nstaffing: { planCsv: garbage.csv }\n"),
    /201 problems\n {2}garbage\.csv:2: start: expected .*, got "garbage"\n[^]*\n {2}… and 151 more problems\n$/
  ])
  // The FIFO as a CSV too.
  expect(spawnSync("mkfifo", [join(tmp, "fifo.csv")]).status).toBe(0)
  cases.push(["FIFO as a CSV", write("fifo-csv.yaml", "name: hostile\nhorizon: { from: 2026-01-01, to: 2026-03-31 }\ncalendar: {}\narrivals: { forecast: { csv: fifo.csv } }\nagents: 10\n"), /arrivals\.forecast\.csv: fifo\.csv: not a regular file/])
  return cases
}

/** The committed fixtures and what each must say. */
const committed: Array<[string, RegExp]> = [
  ["agents-1e9.yaml", /agents: 1\.0e9 advisors at once; the limit is 100,000/],
  ["alias-bomb.yaml", /too many aliases/],
  ["binary.yaml", /binary file, not text/],
  ["deep.yaml", /nested too deeply/],
  ["extends-dev-zero.yaml", /\/dev\/zero: 1 problem\n {2}not a regular file/],
  ["extends-passwd.yaml", /\/etc\/passwd: 1 problem\n {2}not a scenario file/],
  ["forecast-binary.yaml", /arrivals\.forecast\.csv: binary\.yaml: binary file/],
  ["forecast-dev-zero.yaml", /arrivals\.forecast\.csv: \/dev\/zero: not a regular file/],
  ["horizon-1e9-hours.yaml", /horizon: about 4\.0e9 intervals of 15 minutes; the limit is 4,000,000/],
  ["nan.yaml", /1 problem\n {2}horizon\.hours: Expected a number, got NaN\n/],
  ["per-hour-1e308.yaml", /arrivals: an unbounded number of calls expected over the horizon; the limit is 5\.0e8 per replication \(--max-calls to raise it\)/],
  ["per-hour-1e9.yaml", /arrivals: about 2\.0e12 calls expected over the horizon; the limit is 5\.0e8 per replication \(--max-calls to raise it\)/],
  ["plan-directory.yaml", /staffing\.planCsv: \.: is a directory, not a file/],
  ["queue-without-end.yaml", /agents: the run would need about .* GB of memory; the limit is 4\.0 GB.*about 3\.0e8 callers waiting at once/],
  ["two-documents.yaml", /a scenario file holds one YAML document; found 2/]
]

interface Outcome {
  readonly code: number | null
  readonly stderr: string
  readonly stdout: string
  readonly ms: number
}

/** Runs the CLI with a 512 MB heap and the deadline; resolves whatever happens. */
const ccsimLimited = (args: ReadonlyArray<string>): Promise<Outcome> =>
  new Promise((done) => {
    const started = Date.now()
    const child = execFile(
      process.execPath,
      [join(root, "bin/ccsim.mjs"), ...args],
      {
        cwd: root,
        encoding: "utf8",
        timeout: DEADLINE_MS,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=512" }
      },
      (_error, stdout, stderr) => done({ code: child.exitCode, stdout, stderr, ms: Date.now() - started })
    )
  })

/** Runs `jobs` three at a time (the machine has two cores; most of a run is start-up). */
const inParallel = async <T,>(jobs: ReadonlyArray<() => Promise<T>>, width = 3): Promise<T[]> => {
  const out: T[] = new Array(jobs.length)
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++
        out[i] = await jobs[i]!()
      }
    })
  )
  return out
}

describe("hostile input", () => {
  it("every hostile file gives exit 2 from validate and run, a short plain message, no stack trace, in bounded time and memory", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ...committed.map(([file, expected]): [string, string, RegExp] => [file, join(fixtures, file), expected]),
      ...generated()
    ]
    const jobs = cases.flatMap(([name, path, expected]) =>
      (["validate", "run"] as const).map((command) => async () => ({ name, command, expected, outcome: await ccsimLimited(command === "run" ? ["run", path, "--json"] : ["validate", path]) }))
    )
    const results = await inParallel(jobs)
    const failures: string[] = []
    for (const { name, command, expected, outcome } of results) {
      const why: string[] = []
      if (outcome.code !== 2) why.push(`exit ${outcome.code} (expected 2)`)
      if (/\n {4}at /.test(outcome.stderr) || outcome.stderr.includes("Error:")) why.push("a stack trace or an error class on stderr")
      if (!expected.test(outcome.stderr)) why.push(`stderr does not match ${expected}`)
      if (outcome.stderr.length > 4_000) why.push(`${outcome.stderr.length} characters on stderr`)
      if (outcome.stdout !== "") why.push("output on stdout")
      if (outcome.ms >= DEADLINE_MS) why.push(`still running after ${DEADLINE_MS} ms`)
      if (why.length > 0) failures.push(`${command} ${name}: ${why.join("; ")}\n${outcome.stderr.slice(0, 600)}`)
    }
    expect(failures).toEqual([])
    // Every committed fixture is in the list above (a new one cannot be forgotten).
    expect(committed.map(([file]) => file).sort()).toEqual(readdirSync(fixtures).sort())
  }, 600_000)
})
