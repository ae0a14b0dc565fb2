/**
 * Reading servers' answers with their own schemas: an answer out of contract is an error the
 * harness reports (and stops on when it cannot go on), never a value it half-trusts.
 *
 * Invariant: a reader either returns a value of the schema's type or throws
 * `OutOfContract` naming the endpoint and the first problem — never a partly typed object.
 */
import * as Schema from "effect/Schema"

/** A server's answer (REST body or websocket frame) that breaks the server's documented contract. */
export class OutOfContract extends Error {
  constructor(
    readonly where: string,
    message: string
  ) {
    super(`${where}: answer out of contract: ${message}`)
    this.name = "OutOfContract"
  }
}

/**
 * A reader of `schema` for answers of `where` (`POST /calls`): extra fields are ignored (a
 * client reads what it needs), a missing or mistyped one throws OutOfContract.
 */
export const reader = <S extends Schema.Top>(schema: S, where: string): ((u: unknown) => S["Type"]) => {
  const decode = Schema.decodeUnknownSync(schema as unknown as Schema.Codec<S["Type"], unknown>)
  return (u) => {
    try {
      return decode(u)
    } catch (e) {
      throw new OutOfContract(where, (e instanceof Error ? e.message : String(e)).split("\n").slice(0, 3).join(" "))
    }
  }
}
