/**
 * Writes the inferred model as a module exporting a `defineProtocol` preset: TypeScript by
 * default, or plain ESM JavaScript with JSDoc types (loads in Node without a compiler).
 * The text depends only on the model and the options, so it is the same byte for byte.
 */
import { isRecord } from '../protocol/json.js';
import type { FrameTemplate } from './client-frames.js';
import type { InferredModel, InferredType } from './model.js';
import {
  commentSafe,
  enumThresholds,
  helperCode,
  helperOrder,
  objectSchema,
  propertyKey,
  str,
  type EmitContext,
  type Helper,
} from './shape.js';

/** Options of {@link generateModule}. */
export interface GenerateOptions {
  /** Preset name: the factory's name (`myBackend()`) and the prefix of its exports. @default 'inferred' */
  readonly name?: string;
  /** `ts`: TypeScript; `js`: ESM JavaScript with JSDoc. @default 'ts' */
  readonly format?: 'ts' | 'js';
  /** Module specifier of dashwire in the import. @default 'dashwire' */
  readonly dashwireImport?: string;
}

/** A valid identifier in camelCase from a user-given name (`my-backend` → `myBackend`). */
export function identifierOf(name: string): string {
  const words = name.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  const id = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  if (!id) return 'inferred';
  if (/^[0-9]/.test(id)) return `_${id}`;
  // A keyword, or a name the module uses itself, would not compile.
  return taken.has(id) ? `${id}Preset` : id;
}

const taken = new Set([
  ...'await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield'.split(
    ' ',
  ),
  ...'z defineEvents defineProtocol decode itemsOf errorOf channelOf options'.split(' '),
  ...helperOrder,
]);

/** A JSON value as JS source. */
function literal(value: unknown): string {
  if (typeof value === 'string') return str(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (isRecord(value)) {
    const members = Object.entries(value).map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`);
    return members.length ? `{ ${members.join(', ')} }` : '{}';
  }
  return JSON.stringify(value) ?? 'null';
}

function access(root: string, path: readonly string[]): string {
  return path.reduce(
    (code, key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${code}.${key}` : `${code}[${JSON.stringify(key)}]`),
    root,
  );
}

const samePath = (a: readonly string[] | undefined, b: readonly string[]): boolean =>
  a !== undefined && a.length === b.length && a.every((k, i) => k === b[i]);

const timeCode = {
  iso: 'new Date().toISOString()',
  naive: 'new Date().toISOString().slice(0, 19)',
  s: 'Math.floor(Date.now() / 1000)',
  ms: 'Date.now()',
} as const;

/**
 * The frame a template reproduces, as an expression: channel, id and timestamps filled in
 * when sent; `params` spread where the template says (a params object, or beside the channel).
 */
function templateExpression(t: FrameTemplate, disc: string, withParams: boolean): string {
  const paramsAt = t.paramsPath;
  const build = (value: Record<string, unknown>, path: string[]): string => {
    const lead: string[] = [];
    const fixed: string[] = [];
    const recorded: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      const here = [...path, key];
      const name = propertyKey(key);
      if (samePath(t.channelPath, here))
        fixed.push(t.channelIsList ? `${name}: [channel]` : name === 'channel' ? name : `${name}: channel`);
      else if (samePath(t.idPath, here)) fixed.push(name === 'id' ? name : `${name}: id`);
      else if (t.times.some((x) => samePath(x.path, here)))
        fixed.push(`${name}: ${timeCode[t.times.find((x) => samePath(x.path, here))!.form]}`);
      else if (path.length === 0 && key === disc) lead.push(`${name}: ${literal(v)}`);
      else if (
        isRecord(v) &&
        (paramsAt.length > path.length ||
          t.times.some((x) => x.path.length > here.length && samePath(x.path.slice(0, here.length), here)))
      ) {
        recorded.push(`${name}: ${build(v, here)}`);
      } else recorded.push(`${name}: ${literal(v)}`);
    }
    const spread = withParams && samePath(paramsAt, path) ? ['...params'] : [];
    // Recorded values before the app's params, so params override them; channel, id and
    // timestamps after, so params cannot break the frame. The discriminator leads, for the reader.
    const members = [...lead, ...recorded, ...spread, ...fixed];
    return members.length ? `{ ${members.join(', ')} }` : '{}';
  };
  return build(t.frame, []);
}

function typeComment(t: InferredType): string {
  const role = t.role === 'event' ? '' : ` ${t.role === 'welcome' ? 'Also the welcome' : t.role}: ${t.roleReason}.`;
  const channel =
    t.channel === undefined
      ? t.channelReason?.startsWith('the message')
        ? ` Channel: ${t.channelReason}.`
        : ''
      : ` Channel "${t.channel}": ${t.channelReason}.`;
  const key = t.key ? ` latest() key: ${t.key.join('.')}.` : '';
  const renamed =
    t.eventName === t.type ? '' : ` Wire type "${t.type}" is a reserved event name, so it is "${t.eventName}" here.`;
  return `${t.count} frame${t.count === 1 ? '' : 's'} on ${t.connections} connection${t.connections === 1 ? '' : 's'}.${role}${channel}${key}${renamed}`;
}

/** Generates the module text. */
export function generateModule(model: InferredModel, options: GenerateOptions = {}): string {
  const ts = (options.format ?? 'ts') === 'ts';
  const name = identifierOf(options.name ?? 'inferred');
  const Name = name[0]!.toUpperCase() + name.slice(1);
  const disc = model.discriminator.key;
  const ctx: EmitContext = { helpers: new Set<Helper>() };
  const catalogued = model.types.filter((t) => t.role === 'event' || t.role === 'welcome');
  const schemas = catalogued.map((t) => {
    const code = t.stats.objects ? objectSchema(t.stats.objects, ctx).code : 'z.looseObject({})';
    return `  /** ${commentSafe(typeComment(t))} */\n  ${propertyKey(t.eventName)}: ${code.replaceAll('\n', '\n  ')},`;
  });
  const out: string[] = [];
  const line = (text = ''): void => {
    out.push(text);
  };
  let origin = model.url;
  try {
    const u = new URL(model.url);
    origin = `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    /* keep as recorded */
  }
  origin = commentSafe(origin);
  const discText = commentSafe(disc);

  line(`// Generated by \`dashwire infer\` from a recording of ${origin}:`);
  line(
    `// ${model.frames.server} server frames (${model.frames.messages} messages) and ${model.frames.client} client frames on ${model.connections} connection${model.connections === 1 ? '' : 's'}.`,
  );
  const nestedText = model.inner
    ? `, and "${commentSafe(model.inner.inner)}" inside ${model.inner.values.map((v) => `"${commentSafe(v)}"`).join(', ')}`
    : '';
  line(
    `// Message type: "${discText}"${nestedText} (${model.discriminator.present}/${model.discriminator.total} messages). Envelope: ${commentSafe(model.envelope)}.`,
  );
  if (model.frames.notJson) line(`// ${model.frames.notJson} frames were not JSON and were left out.`);
  if (model.frames.untyped)
    line(`// ${model.frames.untyped} messages had no string "${discText}": they decode as malformed.`);
  line(`// Fields present in every sample are required, others optional; unknown keys are kept (looseObject).`);
  line(
    `// Enums need >= ${enumThresholds.minSamples} samples, <= ${enumThresholds.maxValues} values and >= ${enumThresholds.samplesPerValue} samples per value; otherwise z.string().`,
  );
  line(`// Review before use: a recording only shows what the server happened to send.`);
  line(`import * as z from 'zod';`);
  const dashwire = options.dashwireImport ?? 'dashwire';
  line(
    ts
      ? `import { defineEvents, defineProtocol, type HeartbeatOptions, type Inbound, type Protocol } from ${str(dashwire)};`
      : `import { defineEvents, defineProtocol } from ${str(dashwire)};`,
  );
  line();
  for (const helper of helperOrder.filter((h) => ctx.helpers.has(h))) {
    line(`/** ${helperCode[helper].doc} */`);
    line(`const ${helper} = ${helperCode[helper].code};`);
  }
  if (ctx.helpers.size) line();
  const without = model.inner ? `"${discText}" (and its "${commentSafe(model.inner.inner)}")` : `"${discText}"`;
  line(`/** What handlers receive for each message type: the message without its ${without}. */`);
  line(`export const ${name}Events = defineEvents({`);
  for (const s of schemas) line(s);
  line(`});`);
  line();
  if (ts) {
    line(`/** The catalogue type of {@link ${name}}. */`);
    line(`export type ${Name}Events = typeof ${name}Events;`);
    line();
  }

  const channelNames =
    model.channelMode === 'filter' ? catalogued.map((t) => t.eventName) : model.channels.map((c) => c.name);
  const channelWhy =
    model.channelMode === 'endpoints'
      ? 'one WebSocket path per channel, as recorded'
      : model.channelMode === 'frames'
        ? `named by the recorded subscribe frames (${model.client.subscribe?.channelPath?.join('.')})`
        : 'the server has no channels on the wire: each message type is a client-side channel';
  line(`/** Channels: ${commentSafe(channelWhy)}. */`);
  line(`export const ${name}Channels = [${channelNames.map(str).join(', ')}]${ts ? ' as const' : ''};`);
  line();
  if (model.channelMode === 'endpoints') {
    line(`/** The URL path of each channel's endpoint. */`);
    line(
      `export const ${name}Endpoints = new Map${ts ? '<string, string>' : ''}([${model.channels.map((c) => `[${str(c.name)}, ${str(c.path!)}]`).join(', ')}]);`,
    );
    line();
  }
  const routed = catalogued.filter((t) => t.channel !== undefined && model.channelMode !== 'filter');
  if (routed.length) {
    line(`/** Message type → the channel its events belong to. */`);
    line(
      `const channelOf = new Map${ts ? '<string, string>' : ''}([${routed.map((t) => `[${str(t.eventName)}, ${str(t.channel!)}]`).join(', ')}]);`,
    );
    line();
  }

  const errors = model.types.filter((t) => t.role === 'error');
  if (errors.length) {
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

  // One decoded message.
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

  if (ts) {
    line(`/** Options of {@link ${name}}. */`);
    line(`export interface ${Name}Options {`);
    line(
      `  /** Heartbeat timing. @default { intervalMs: ${model.heartbeat.intervalMs}, timeoutMs: ${model.heartbeat.timeoutMs} } */`,
    );
    line(`  readonly heartbeat?: Partial<HeartbeatOptions>;`);
    line(`}`);
    line();
  }
  line(`/**`);
  line(` * Preset inferred from a recording of ${origin}.`);
  line(` *`);
  line(` * \`\`\`${ts ? 'ts' : 'js'}`);
  line(` * const client = createClient({ url: ${str(origin)}, protocol: ${name}() });`);
  line(` * \`\`\``);
  if (!ts) line(` * @param {{ heartbeat?: Partial<import('dashwire').HeartbeatOptions> }} [options]`);
  line(` */`);
  line(
    `export function ${name}(options${ts ? `: ${Name}Options` : ''} = {})${ts ? `: Protocol<${Name}Events>` : ''} {`,
  );
  line(`  return defineProtocol({`);
  line(`    name: ${str(name)},`);
  line(`    channels: ${name}Channels,`);
  line(`    events: ${name}Events,`);
  line(`    decode,`);
  if (model.client.other.length) {
    const list = model.client.other.map((o) => `${commentSafe(o.type)} ×${o.count}`).join(', ');
    line(`    // Recorded client frames not reproduced here: ${list} (auth? add encodeAuth, or send them yourself).`);
  }
  const sub = model.client.subscribe;
  const clientDisc = model.client.discriminator?.key ?? disc;
  if (sub && model.channelMode !== 'filter') {
    const uses = [sub.idPath ? 'id' : '', sub.channelPath ? 'channel' : '', 'params'].filter(Boolean).join(', ');
    line(`    // ${sub.count} subscribe frame${sub.count === 1 ? '' : 's'} recorded; this reproduces the first.`);
    line(`    encodeSubscribe: ({ ${uses} }) => JSON.stringify(${templateExpression(sub, clientDisc, true)}),`);
  } else {
    line(`    // No subscribe frame in the recording: subscriptions are client-side.`);
    line(`    encodeSubscribe: () => null,`);
  }
  const unsub = model.client.unsubscribe;
  if (unsub && model.channelMode !== 'filter') {
    const uses = [unsub.idPath ? 'id' : '', unsub.channelPath ? 'channel' : '', 'params'].filter(Boolean).join(', ');
    line(`    // ${unsub.count} unsubscribe frame${unsub.count === 1 ? '' : 's'} recorded.`);
    line(`    encodeUnsubscribe: ({ ${uses} }) => JSON.stringify(${templateExpression(unsub, clientDisc, true)}),`);
  } else {
    line(`    // No unsubscribe frame in the recording: nothing is sent, events just stop being delivered.`);
    line(`    encodeUnsubscribe: () => null,`);
  }
  const ping = model.client.ping;
  if (ping) {
    line(`    // ${ping.count} ping frame${ping.count === 1 ? '' : 's'} recorded.`);
    line(
      `    encodePing: (${ping.idPath ? 'id' : ''}) => JSON.stringify(${templateExpression(ping, clientDisc, false)}),`,
    );
  } else {
    line(`    // No ping in the recording: the heartbeat is an idle watchdog.`);
    line(`    encodePing: () => null,`);
  }
  line(`    // ${model.heartbeat.reason[0]!.toUpperCase()}${model.heartbeat.reason.slice(1)}.`);
  line(
    `    heartbeat: { intervalMs: ${model.heartbeat.intervalMs}, timeoutMs: ${model.heartbeat.timeoutMs}, ...options.heartbeat },`,
  );
  line(`    acks: false,`);
  line(`    resumable: false,`);
  if (model.channelMode === 'endpoints') {
    line(`    endpointFor: (baseUrl, channel) => {`);
    line(`      const url = new URL(baseUrl);`);
    line(`      url.pathname = ${name}Endpoints.get(channel) ?? url.pathname;`);
    line(`      return url.toString();`);
    line(`    },`);
  }
  if (model.channelMode === 'filter') line(`    matches: (channel, _params, type) => channel === type,`);
  const keyed = catalogued.filter((t) => t.key);
  if (keyed.length) {
    line(`    // Guessed from id-like fields present in every sample: check they identify what you want latest() of.`);
    line(`    keys: {`);
    for (const t of keyed) line(`      ${propertyKey(t.eventName)}: (m) => String(${access('m', t.key!)}),`);
    line(`    },`);
  }
  line(`  });`);
  line(`}`);
  line();
  line(`export default ${name};`);
  return `${out.join('\n')}\n`;
}
