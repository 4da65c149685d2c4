/**
 * The decode of the generated module: `errorOf` (when the recording has error frames),
 * `itemsOf` for one message and `decode` for one text frame.
 */
import type { ModuleWriter } from './module-writer.js';
import { commentSafe, propertyKey, str } from './source-text.js';

/** A server error frame as the protocol's error item; written only when the recording has error types. */
function writeErrorOf(w: ModuleWriter): void {
  const { model, ts, line } = w;
  if (!model.types.some((t) => t.role === 'error')) return;
  line(
    `/** A server error frame as the protocol's error item: text from message, data.message, data, error or detail. */`,
  );
  if (!ts) line(`/** @param {Record<string, unknown>} msg @returns {import('dashwire').Inbound} */`);
  line(`function errorOf(msg${ts ? ': Record<string, unknown>' : ''})${ts ? ': Inbound' : ''} {`);
  line(`  const data = msg['data'];`);
  line(
    `  const inner = typeof data === 'object' && data !== null ? ${ts ? '(data as Record<string, unknown>)' : '/** @type {Record<string, unknown>} */ (data)'} : {};`,
  );
  line(
    `  const text = [msg['message'], inner['message'], data, msg['error'], msg['detail']].find((v) => typeof v === 'string');`,
  );
  line(`  const code = [msg['code'], inner['code']].find((v) => typeof v === 'string' || typeof v === 'number');`);
  line(
    `  return { kind: 'error', code: code === undefined ? 'server_error' : String(code), message: typeof text === 'string' ? text : '' };`,
  );
  line(`}`);
  line();
}

/** One message as inbound items: the switch over protocol types, then the channel of events. */
function writeItemsOf(w: ModuleWriter): void {
  const { model, ts, disc, routed, line } = w;
  line(`/** One message as inbound items: protocol frames by type, everything else an event. */`);
  if (!ts) line(`/** @param {unknown} msg @returns {import('dashwire').Inbound[]} */`);
  line(`function itemsOf(msg${ts ? ': unknown' : ''})${ts ? ': Inbound[]' : ''} {`);
  line(
    `  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return [{ kind: 'malformed', detail: 'message is not a JSON object' }];`,
  );
  const asRecord = ts ? 'msg as Record<string, unknown>' : '/** @type {Record<string, unknown>} */ (msg)';
  if (model.inner) {
    const inner = model.inner;
    line(`  const { ${propertyKey(disc)}: outer, ...rest } = ${asRecord};`);
    line(
      `  if (typeof outer !== 'string') return [{ kind: 'malformed', detail: ${str(`message without a string "${disc}"`)} }];`,
    );
    line(
      `  // Two-level types: ${inner.values.map((v) => `"${commentSafe(disc)}": "${commentSafe(v)}"`).join(' and ')} messages are typed by their "${commentSafe(inner.inner)}".`,
    );
    line(`  let type = outer;`);
    line(`  let data = rest;`);
    line(`  if (${inner.values.map((v) => `outer === ${str(v)}`).join(' || ')}) {`);
    line(`    const { ${propertyKey(inner.inner)}: innerType, ...payload } = rest;`);
    line(
      `    if (typeof innerType !== 'string') return [{ kind: 'malformed', detail: ${str(`message without a string "${inner.inner}"`)} }];`,
    );
    line(`    type = innerType;`);
    line(`    data = payload;`);
    line(`  }`);
  } else {
    const destructure = propertyKey(disc) === 'type' ? 'type' : `${propertyKey(disc)}: type`;
    line(`  const { ${destructure}, ...data } = ${asRecord};`);
    line(
      `  if (typeof type !== 'string') return [{ kind: 'malformed', detail: ${str(`message without a string "${disc}"`)} }];`,
    );
  }
  const special = model.types.filter((t) => t.role !== 'event' || t.eventName !== t.type);
  if (special.length) {
    line(`  switch (type) {`);
    for (const t of special) {
      const event = `{ kind: 'event', type: ${str(t.eventName)}, data${t.channel !== undefined && model.channelMode !== 'filter' ? `, channel: ${str(t.channel)}` : ''} }`;
      line(
        `    case ${str(t.type)}: // ${t.role === 'event' ? 'renamed: reserved event name' : `${t.role}: ${t.roleReason}`} (${t.count} frames)`,
      );
      if (t.role === 'pong') line(`      return [{ kind: 'pong' }];`);
      else if (t.role === 'error') line(`      return [errorOf(data)];`);
      else if (t.role === 'welcome') line(`      return [{ kind: 'welcome', data }, ${event}];`);
      else line(`      return [${event}];`);
    }
    line(`  }`);
  }
  if (model.channelField !== undefined) {
    const field = `data[${str(model.channelField)}]`;
    line(`  // A message that names its channel is routed by it; others by their type.`);
    line(
      `  const channel = typeof ${field} === 'string' ? ${field} : ${routed.length ? 'channelOf.get(type)' : 'undefined'};`,
    );
    line(`  return [channel === undefined ? { kind: 'event', type, data } : { kind: 'event', type, data, channel }];`);
  } else if (routed.length) {
    line(`  const channel = channelOf.get(type);`);
    line(`  return [channel === undefined ? { kind: 'event', type, data } : { kind: 'event', type, data, channel }];`);
  } else {
    line(`  return [{ kind: 'event', type, data }];`);
  }
  line(`}`);
  line();
}

/** One text frame: JSON, then a batch or one message. */
function writeFrameDecode(w: ModuleWriter): void {
  const { model, ts, line } = w;
  line(
    `/** Decodes one text frame${model.frames.batches ? `; an array is a batch (${model.frames.batches} of ${model.frames.server} recorded frames were)` : ''}. Never throws. */`,
  );
  if (!ts) line(`/** @param {string} frame @returns {import('dashwire').Inbound[]} */`);
  line(`function decode(frame${ts ? ': string' : ''})${ts ? ': Inbound[]' : ''} {`);
  line(`  let parsed${ts ? ': unknown' : ''};`);
  line(`  try {`);
  line(`    parsed = JSON.parse(frame);`);
  line(`  } catch {`);
  line(`    return [{ kind: 'malformed', detail: 'not JSON' }];`);
  line(`  }`);
  line(
    model.frames.batches
      ? `  return Array.isArray(parsed) ? parsed.flatMap(itemsOf) : itemsOf(parsed);`
      : `  return itemsOf(parsed);`,
  );
  line(`}`);
  line();
}

/** Writes `errorOf` (if needed), `itemsOf` and `decode`, in that order. */
export function writeDecode(w: ModuleWriter): void {
  writeErrorOf(w);
  writeItemsOf(w);
  writeFrameDecode(w);
}
