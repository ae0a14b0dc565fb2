/**
 * What REST handlers share: the running parts of one mock instance, the admin guard, and
 * decoding with catalogue errors.
 *
 * Invariant: a handler either returns its documented response or throws an OdigoError whose
 * code is in the catalogue; app.ts turns every other failure (fastify's own, bugs) into a
 * catalogue code too.
 */
import type { FastifyReply, FastifyRequest } from "fastify"
import * as Schema from "effect/Schema"
import type { Accounts } from "../accounts.js"
import type { Platform } from "../acd/platform.js"
import { OdigoError } from "../errors.js"
import type { Faults } from "../faults.js"
import type { Gateway } from "../gateway.js"
import type { ResolvedOptions } from "../options.js"
import { issueMessage } from "../protocol/decode.js"
import type { SupervisionHub } from "../supervision.js"

export interface OdigoContext {
  readonly platform: Platform
  readonly accounts: Accounts
  readonly faults: Faults
  readonly hub: SupervisionHub
  readonly gateway: Gateway
  readonly options: ResolvedOptions
  readonly startedAtMs: number
}

/** Decodes untrusted input; throws INVALID_BODY naming every problem's path under `where`. */
export const decodeOrThrow = <S extends Schema.Top>(schema: S, input: unknown, where: "body" | "query" | "params"): S["Type"] => {
  const r = Schema.decodeUnknownResult(schema as unknown as Schema.Codec<S["Type"], unknown>)(input ?? {}, { errors: "all" })
  if (r._tag === "Failure") throw new OdigoError("INVALID_BODY", issueMessage((r as unknown as { failure: { issue: never } }).failure.issue, where))
  return (r as unknown as { success: S["Type"] }).success
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/

/**
 * Admin guard: with a token configured, `Authorization: Bearer <token>` is required; without
 * one, only loopback clients are served (the mock binds 127.0.0.1 by default).
 */
export const adminGuard =
  (ctx: OdigoContext) =>
  async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = ctx.options.adminToken
    if (token !== undefined) {
      if (req.headers.authorization !== `Bearer ${token}`) throw new OdigoError("FORBIDDEN", "Admin endpoints need Authorization: Bearer <admin token>")
      return
    }
    if (!LOOPBACK.test(req.socket.remoteAddress ?? "")) {
      throw new OdigoError("FORBIDDEN", "Admin endpoints answer loopback clients only (start the mock with --admin-token to allow others)")
    }
  }
