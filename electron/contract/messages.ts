import { z } from 'zod';
import { CallEvent } from './api.js';

/** Request ids are chosen by the client; they scope events, results and cancellation. */
export const RequestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: RequestId, method: z.string().max(64), params: z.unknown() }).strict(),
  z.object({ type: z.literal('cancel'), id: RequestId }).strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const WireError = z.object({ code: z.string(), message: z.string() });

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: RequestId, result: z.unknown() }),
  z.object({ type: z.literal('error'), id: RequestId.nullable(), error: WireError }),
  z.object({ type: z.literal('event'), id: RequestId, event: CallEvent }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** Largest message either side accepts; a premise is at most 20k characters, so this leaves ample room. */
export const MAX_MESSAGE_BYTES = 1_000_000;
