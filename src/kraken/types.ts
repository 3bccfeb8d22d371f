// Plain data types shared by the Kraken profile. Deliberately independent of src/codec so the profile can be
// written and tested before the codec exists; the session layer maps these to encoded messages.

export type Venue = 'spot' | 'derivatives';

/** One FIX field as plain data: [tag number, value text]. The codec encodes these in array order. */
export type FixField = readonly [tag: number, value: string];

/** An outbound message the codec can encode: header extras (beyond the session's standard header) + body. */
export interface FixMessagePlan {
  readonly msgType: string;
  /** Optional header fields the profile needs (e.g. SenderSubID 50); the session adds 8/9/35/34/49/52/56. */
  readonly header: readonly FixField[];
  readonly body: readonly FixField[];
}

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
