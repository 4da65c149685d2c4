import * as z from 'zod';
import { isRecord, parseJson } from '../protocol/json.js';
import type { EventCatalog } from '../events.js';
import type { Inbound, SubscriptionParams } from '../protocol/types.js';

// The formats below are built in `@__PURE__` calls: a preset bundle keeps only the ones it uses.

export { decimalString } from '../protocol/decimal.js';

/** Unix time in whole seconds (Rust `Utc::now().timestamp()`). @category Presets */
export const unixSeconds = /* @__PURE__ */ z.number().int();

/** RFC 3339 with a zone, any fraction (Go `time.Time` marshals as RFC 3339 Nano). @category Presets */
export const rfc3339 = /* @__PURE__ */ z.iso.datetime({ offset: true });

/** ISO 8601 with or without a zone (Python `isoformat()` of a naive or aware datetime, JS `toISOString()`). @category Presets */
export const isoDateTime = /* @__PURE__ */ z.iso.datetime({ offset: true, local: true });

/** A JS `Date` after `JSON.stringify`: ISO 8601 in UTC with milliseconds ("2024-01-19T10:30:45.123Z"). @category Presets */
export const jsonDate = /* @__PURE__ */ z.iso.datetime();

/** ISO 8601 without a zone, as Python's naive `datetime.now().isoformat()` ("2024-10-05T10:30:00"). @category Presets */
export const naiveIsoDateTime = /* @__PURE__ */ z.iso.datetime({ local: true });

/**
 * A preset's catalogue with the user's `events` in place of (or next to) its own: the
 * override's inferred type replaces the preset's for that message type in handlers.
 * @category Presets
 */
export type WithEvents<Base extends EventCatalog, Override extends EventCatalog> = [keyof Override] extends [never]
  ? Base
  : Omit<Base, keyof Override> & Override;

/** The preset's catalogue merged with the user's overrides (theirs win). */
export function withEvents(base: EventCatalog, override: EventCatalog | undefined): EventCatalog {
  return override ? { ...base, ...override } : base;
}

/** The preset's `latest()` key functions minus those of overridden types, which may not fit the user's schema. */
export function keysWithout<K extends object>(keys: K, override: EventCatalog | undefined): K {
  if (!override) return keys;
  return Object.fromEntries(
    Object.entries(keys).filter(([type]) => !Object.prototype.hasOwnProperty.call(override, type)),
  ) as K;
}

/** A JSON object frame with a string `type`, or why the frame is not one. */
export type TypedFrame =
  | { readonly ok: true; readonly type: string; readonly msg: Record<string, unknown> }
  | { readonly ok: false; readonly item: Inbound };

/** Parses a `{type, …}` frame without throwing. */
export function readTypedFrame(frame: string): TypedFrame {
  const msg = parseJson(frame);
  return msg === undefined ? { ok: false, item: { kind: 'malformed', detail: 'not JSON' } } : readTyped(msg);
}

/** Checks that an already parsed value (a frame, or one item of a poll response) is a `{type, …}` object. */
export function readTyped(msg: unknown): TypedFrame {
  if (!isRecord(msg)) return { ok: false, item: { kind: 'malformed', detail: 'frame is not a JSON object' } };
  if (typeof msg.type !== 'string')
    return { ok: false, item: { kind: 'malformed', detail: 'frame without a string "type"' } };
  return { ok: true, type: msg.type, msg };
}

/** The frame without its `type`: what handlers receive for every preset. */
export function withoutType(msg: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = msg;
  return rest;
}

/** The first of `values` that is a string. */
const firstString = (...values: unknown[]): string | undefined =>
  values.find((v): v is string => typeof v === 'string');

/**
 * A server's `type: "error"` frame as the protocol's error item. Servers put the text in
 * `message` (Sentio), or in `data` (FastAPI envelope), so both are read.
 */
export function errorItem(msg: Record<string, unknown>): Inbound {
  const data = isRecord(msg.data) ? msg.data : {};
  return {
    kind: 'error',
    code: firstString(msg.code, data.code) ?? 'server_error',
    message: firstString(msg.message, data.message, msg.data, msg.detail) ?? '',
  };
}

/** A string-list param given as an array or a comma-separated string; `undefined` when absent. */
export function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}

/** Whether `value` passes an optional allow-list param (absent list = everything passes). */
export function allowed(params: SubscriptionParams, name: string, value: unknown): boolean {
  const list = stringList(params[name]);
  if (list === undefined) return true;
  return typeof value === 'string' && list.includes(value);
}

/** A backend's channels: each channel name and the message types it carries. */
export type ChannelMap = Readonly<Record<string, readonly string[]>>;

/**
 * The message types a channel carries. A name the map does not list is taken as a message
 * type name, so `subscribe('trim_executed')` works on backends whose channels are client-side filters.
 */
export function typesOf(channels: ChannelMap, channel: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(channels, channel) ? channels[channel]! : [channel];
}

/** The first channel of the map that carries `type` (skipping `skip`, e.g. an `all` channel); `undefined` when none does. */
export function channelOf(channels: ChannelMap, type: string, skip?: string): string | undefined {
  for (const [channel, types] of Object.entries(channels)) if (channel !== skip && types.includes(type)) return channel;
  return undefined;
}
