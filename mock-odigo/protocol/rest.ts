/**
 * The REST request bodies a client of mock-odigo builds — an account to create, a call to inject
 * — as effect Schemas. They live with the websocket frames because they are wire protocol too:
 * the load bench and the live harness type what they send with them, and the server decodes
 * with the same definitions (strictly: a field they do not define is UNKNOWN_FIELD).
 */
import * as Schema from "effect/Schema"
import { AttachedData, Flow, Reason } from "./common.js"

export const ROLES = ["agent", "supervisor"] as const
export type Role = (typeof ROLES)[number]

/** Body of `POST /admin/accounts`. Names and e-mail are optional here so that their absence is
 * reported as GENERIC_ACCOUNT (a person is missing), not as a schema error. */
export const NewAccount = Schema.Struct({
  login: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64)),
  password: Schema.String.check(Schema.isMinLength(8), Schema.isMaxLength(128)).annotate({
    description: "At least 8 characters (assumption: the CCTP sets no rule for Odigo passwords)."
  }),
  firstName: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(64))),
  lastName: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(64))),
  email: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(254))),
  role: Schema.Literals(ROLES)
})
export type NewAccount = typeof NewAccount.Type

/** Body of `POST /calls`: a caller reaches an IVR flow's queue. */
export const InjectBody = Schema.Struct({
  flow: Flow,
  reason: Schema.optionalKey(Reason.annotate({ description: "The caller's true reason; passed to the agent in attachedData.reason." })),
  patienceMs: Schema.optionalKey(
    Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 86_400_000 })).annotate({
      description: "The caller hangs up (abandons) this long after arriving unless answered, ms."
    })
  ),
  attachedData: Schema.optionalKey(AttachedData.check(Schema.isMaxProperties(16)))
})
export type InjectBody = typeof InjectBody.Type
