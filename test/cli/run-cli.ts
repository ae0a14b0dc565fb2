/** Runs the built CLI (`bin/ccsim.mjs`) as a user would, capturing exit code and streams. */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

export const root = fileURLToPath(new URL("../..", import.meta.url))

export const ccsim = (args: ReadonlyArray<string>, cwd = root) => {
  const r = spawnSync(process.execPath, [`${root}/bin/ccsim.mjs`, ...args], { cwd, encoding: "utf8", timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
