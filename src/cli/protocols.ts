import { presets, type PresetFactory, type PresetName } from '../backends/presets.js';
import { native } from '../protocol/native.js';
import type { Protocol } from '../protocol/types.js';
import { UsageError } from './args.js';

/** Protocols the CLI knows by name: the native one and the client's preset registry. */
const protocols = { native, ...presets } as const satisfies Record<'native' | PresetName, PresetFactory>;

/** Names accepted by `--preset`. */
export function protocolNames(): string[] {
  return Object.keys(protocols);
}

/** The protocol for a `--preset` name; a usage error lists the valid names. */
export function protocolFor(name: string): Protocol {
  if (!Object.prototype.hasOwnProperty.call(protocols, name))
    throw new UsageError(`unknown preset "${name}" (known: ${protocolNames().join(', ')})`);
  // Each factory's catalogue type differs; the CLI handles every event alike.
  const make: PresetFactory = protocols[name as keyof typeof protocols];
  return make();
}
