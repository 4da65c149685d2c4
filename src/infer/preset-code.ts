/**
 * The preset of the generated module: its options type (TypeScript only) and the exported
 * factory that calls `defineProtocol` with the decode, frame encoders, heartbeat and keys.
 */
import type { ModuleWriter } from './module-writer.js';
import { access, commentSafe, propertyKey, str } from './source-text.js';
import { templateExpression } from './template-code.js';

/** The `encodeSubscribe`, `encodeUnsubscribe` and `encodePing` members: recorded frames, or `null` encoders. */
function writeEncoders(w: ModuleWriter): void {
  const { model, disc, line } = w;
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
}

/** Writes the options interface, the factory and the default export. */
export function writePreset(w: ModuleWriter): void {
  const { model, ts, name, Name, origin, catalogued, line } = w;
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
  writeEncoders(w);
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
}
