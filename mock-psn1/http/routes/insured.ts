/**
 * Insured people: exact lookup by NIR, paging (supervisors: bulk reads are a harness need,
 * not an advisor's), one person, and the interventions opposition / closure / device unlink.
 */
import { Psn1Error } from "../../errors.js"
import { insuredView, interventionView } from "../../domain/insured.js"
import {
  DeviceParams, InsuredPage, InsuredParams, InsuredQuery, InsuredView, InterventionRequest, InterventionResult, UnlinkRequest
} from "../../schema/insured.js"
import { defineRoute, type AnyRoute } from "../route.js"

const STAFF = ["advisor", "supervisor"] as const
const MAX_PAGE_SIZE = 500

export const insuredRoutes: ReadonlyArray<AnyRoute> = [
  defineRoute({
    method: "GET", url: "/insured", operationId: "insured.search", tag: "insured", access: STAFF,
    summary: "Find a person by exact NIR (`?nir=`), or read a page of the population (`?page=`, supervisors)",
    description: "Give exactly one of `nir` or `page`. `nir` returns 0 or 1 item. `page` (with optional `pageSize` ≤ 500) " +
      "is for test harnesses and needs the supervisor role.",
    query: InsuredQuery,
    success: { status: 200, schema: InsuredPage, description: "Matching people." },
    errors: [],
    handler: ({ query, me, portal, target }) => {
      if ((query.nir === undefined) === (query.page === undefined)) {
        throw new Psn1Error("INVALID_REQUEST", "give exactly one of query.nir or query.page", { problems: [{ path: "query", message: "exactly one of nir, page" }] })
      }
      if (query.nir !== undefined) {
        if (query.pageSize !== undefined) throw new Psn1Error("INVALID_REQUEST", "query.pageSize goes with query.page", { problems: [{ path: "query.pageSize", message: "only with page" }] })
        const person = portal.directory.findByNir(query.nir)
        if (person !== undefined) target(`insured:${person.id}`)
        return { items: person === undefined ? [] : [insuredView(person)], page: 1, pageSize: 1, total: person === undefined ? 0 : 1 }
      }
      if (me.role !== "supervisor") throw new Psn1Error("FORBIDDEN_ROLE", "reading the population by page needs the supervisor role")
      const page = Number(query.page)
      const pageSize = Number(query.pageSize ?? 50)
      if (pageSize > MAX_PAGE_SIZE) throw new Psn1Error("INVALID_REQUEST", `query.pageSize: at most ${MAX_PAGE_SIZE}`, { problems: [{ path: "query.pageSize", message: `at most ${MAX_PAGE_SIZE}` }] })
      target(`population:page-${page}`)
      return { items: portal.directory.page(page, pageSize).map(insuredView), page, pageSize, total: portal.directory.size }
    }
  }),
  defineRoute({
    method: "GET", url: "/insured/:id", operationId: "insured.read", tag: "insured", access: STAFF,
    summary: "Read one person: profile, devices, legal representatives, interventions",
    params: InsuredParams,
    success: { status: 200, schema: InsuredView, description: "The person." },
    errors: ["INSURED_NOT_FOUND"],
    handler: ({ params, portal, target }) => {
      target(`insured:${params.id}`)
      return insuredView(portal.directory.get(params.id))
    }
  }),
  defineRoute({
    method: "POST", url: "/insured/:id/opposition", operationId: "insured.opposition", tag: "insured", access: STAFF,
    summary: "Register opposition to the creation of the profile (pending → opposed)",
    params: InsuredParams,
    body: InterventionRequest,
    success: { status: 200, schema: InterventionResult, description: "Opposition registered." },
    errors: ["UNSAFE_TEXT", "INSURED_NOT_FOUND", "ALREADY_OPPOSED", "ALREADY_CLOSED", "OPPOSITION_NOT_ALLOWED"],
    handler: ({ params, body, me, portal, nowMs, target }) => {
      target(`insured:${params.id}`)
      const { person, intervention } = portal.directory.opposition(params.id, { by: me.email, requestedBy: body.requestedBy, note: body.note ?? null }, nowMs)
      return { insured: insuredView(person), intervention: interventionView(intervention) }
    }
  }),
  defineRoute({
    method: "POST", url: "/insured/:id/closure", operationId: "insured.closure", tag: "insured", access: STAFF,
    summary: "Close the profile (active → closed; every device is unlinked)",
    params: InsuredParams,
    body: InterventionRequest,
    success: { status: 200, schema: InterventionResult, description: "Profile closed." },
    errors: ["UNSAFE_TEXT", "INSURED_NOT_FOUND", "ALREADY_CLOSED", "CLOSURE_NOT_ALLOWED"],
    handler: ({ params, body, me, portal, nowMs, target }) => {
      target(`insured:${params.id}`)
      const { person, intervention } = portal.directory.closure(params.id, { by: me.email, requestedBy: body.requestedBy, note: body.note ?? null }, nowMs)
      return { insured: insuredView(person), intervention: interventionView(intervention) }
    }
  }),
  defineRoute({
    method: "POST", url: "/insured/:id/devices/:deviceId/unlink", operationId: "insured.unlinkDevice", tag: "insured", access: STAFF,
    summary: "Unlink a device from an active profile (the body is optional)",
    params: DeviceParams,
    body: UnlinkRequest,
    bodyOptional: true,
    success: { status: 200, schema: InterventionResult, description: "Device unlinked." },
    errors: ["UNSAFE_TEXT", "INSURED_NOT_FOUND", "DEVICE_NOT_FOUND", "PROFILE_NOT_ACTIVE", "DEVICE_ALREADY_UNLINKED"],
    handler: ({ params, body, me, portal, nowMs, target }) => {
      target(`device:${params.deviceId}`)
      const { person, intervention } = portal.directory.unlinkDevice(params.id, params.deviceId, { by: me.email, note: body?.note ?? null }, nowMs)
      return { insured: insuredView(person), intervention: interventionView(intervention) }
    }
  })
]
