/**
 * A call's attributes packed in one int32 (queue entries, redials): reason (bits 0–7), flow
 * (bits 8–11), attempt number (bits 12–19, 1 = first attempt), transfer flag (bit 20), ticket
 * flag (bit 21). Packing keeps the queue to flat typed arrays.
 */
export const packMeta = (reason: number, flow: number, attempt: number, transfer: boolean, ticket: boolean): number =>
  reason | (flow << 8) | (attempt << 12) | (transfer ? 1 << 20 : 0) | (ticket ? 1 << 21 : 0)

export const metaReason = (m: number): number => m & 0xff
export const metaFlow = (m: number): number => (m >> 8) & 0xf
export const metaAttempt = (m: number): number => (m >> 12) & 0xff
export const metaTransfer = (m: number): boolean => (m & (1 << 20)) !== 0
export const metaTicket = (m: number): boolean => (m & (1 << 21)) !== 0
