/**
 * Tickets to level 2: create (idempotent with `Idempotency-Key`), list, read, comment,
 * change status. Closing a ticket is a supervisor's decision. Changes are pushed on /events.
 */
import type { FastifyRequest } from "fastify"
import { Psn1Error } from "../../errors.js"
import type { Portal } from "../../portal.js"
import {
  CommentRequest, CreateTicketRequest, StatusRequest, TicketList, TicketParams, TicketQuery, TicketView
} from "../../schema/tickets.js"
import { defineRoute, type AnyRoute } from "../route.js"

const STAFF = ["advisor", "supervisor"] as const
const KEY_SHAPE = /^[A-Za-z0-9._:-]{1,128}$/

const idempotencyKeyOf = (request: FastifyRequest): string | undefined => {
  const raw = request.headers["idempotency-key"]
  if (raw === undefined) return undefined
  if (typeof raw !== "string" || !KEY_SHAPE.test(raw)) {
    throw new Psn1Error("INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be one header of 1-128 characters A-Z a-z 0-9 . _ : -")
  }
  return raw
}

const push = (portal: Portal, ticket: TicketView, change: "created" | "commented" | "statusChanged"): void => {
  portal.hub.toAccountsAndSupervisors(portal.tickets.watchers(ticket.id), {
    type: "ticket.updated", change,
    ticket: { id: ticket.id, status: ticket.status, reason: ticket.reason, title: ticket.title, createdBy: ticket.createdBy, updatedAt: ticket.updatedAt }
  })
}

export const ticketRoutes: ReadonlyArray<AnyRoute> = [
  defineRoute({
    method: "POST", url: "/tickets", operationId: "tickets.create", tag: "tickets", access: STAFF,
    summary: "Escalate to level 2; idempotent with `Idempotency-Key`",
    description: "With an `Idempotency-Key` header, a retry with the same key and body returns the first ticket " +
      "(status 201, header `Idempotent-Replayed: true`) and creates nothing; the same key with another body is refused.",
    body: CreateTicketRequest,
    idempotencyKey: true,
    success: { status: 201, schema: TicketView, description: "Created (or replayed)." },
    errors: ["UNSAFE_TEXT", "INVALID_IDEMPOTENCY_KEY", "INSURED_NOT_FOUND", "IDEMPOTENCY_KEY_REUSED"],
    handler: ({ body, me, portal, nowMs, request, reply, target }) => {
      const key = idempotencyKeyOf(request)
      if (body.insuredId !== undefined) portal.directory.get(body.insuredId)
      const { ticket, replayed } = portal.tickets.create(body, me.email, key, nowMs)
      target(`ticket:${ticket.id}`)
      if (replayed) reply.header("Idempotent-Replayed", "true")
      else push(portal, ticket, "created")
      return ticket
    }
  }),
  defineRoute({
    method: "GET", url: "/tickets", operationId: "tickets.list", tag: "tickets", access: STAFF,
    summary: "List tickets in creation order, filtered, paged by `after`",
    query: TicketQuery,
    success: { status: 200, schema: TicketList, description: "A page of tickets." },
    errors: [],
    handler: ({ query, me, portal }) => {
      const limit = Math.min(Number(query.limit ?? 50), 100)
      return portal.tickets.list({
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.reason === undefined ? {} : { reason: query.reason }),
        ...(query.insuredId === undefined ? {} : { insuredId: query.insuredId }),
        ...(query.mine === "true" ? { createdBy: me.email } : {})
      }, query.after, limit)
    }
  }),
  defineRoute({
    method: "GET", url: "/tickets/:id", operationId: "tickets.read", tag: "tickets", access: STAFF,
    summary: "Read a ticket with its comments and status history",
    params: TicketParams,
    success: { status: 200, schema: TicketView, description: "The ticket." },
    errors: ["TICKET_NOT_FOUND"],
    handler: ({ params, portal, target }) => {
      target(`ticket:${params.id}`)
      return portal.tickets.get(params.id)
    }
  }),
  defineRoute({
    method: "POST", url: "/tickets/:id/comments", operationId: "tickets.comment", tag: "tickets", access: STAFF,
    summary: "Add a comment",
    params: TicketParams,
    body: CommentRequest,
    success: { status: 201, schema: TicketView, description: "The ticket with the new comment." },
    errors: ["UNSAFE_TEXT", "TICKET_NOT_FOUND", "TICKET_CLOSED"],
    handler: ({ params, body, me, portal, nowMs, target }) => {
      target(`ticket:${params.id}`)
      const ticket = portal.tickets.comment(params.id, body.body, me.email, nowMs)
      push(portal, ticket, "commented")
      return ticket
    }
  }),
  defineRoute({
    method: "POST", url: "/tickets/:id/status", operationId: "tickets.changeStatus", tag: "tickets", access: STAFF,
    summary: "Move a ticket: new → inProgress | resolved; inProgress → resolved; resolved → inProgress | closed (supervisor)",
    params: TicketParams,
    body: StatusRequest,
    success: { status: 200, schema: TicketView, description: "The ticket in its new status." },
    errors: ["UNSAFE_TEXT", "TICKET_NOT_FOUND", "INVALID_TRANSITION", "TICKET_CLOSED"],
    handler: ({ params, body, me, portal, nowMs, target }) => {
      target(`ticket:${params.id}`)
      if (body.status === "closed" && me.role !== "supervisor") {
        portal.tickets.get(params.id)
        throw new Psn1Error("FORBIDDEN_ROLE", "closing a ticket needs the supervisor role")
      }
      const ticket = portal.tickets.changeStatus(params.id, body.status, body.note ?? null, me.email, nowMs)
      push(portal, ticket, "statusChanged")
      return ticket
    }
  })
]
