import { native } from '../protocol/native.js';
import { presets } from '../presets/index.js';
import type { Protocol } from '../protocol/types.js';
import { UsageError } from './args.js';

/** Protocols the CLI knows by name: the native one and every preset. */
const factories: Readonly<Record<string, () => Protocol>> = {
  native: () => native(),
  ...Object.fromEntries(Object.entries(presets).map(([name, factory]) => [name, () => factory() as Protocol])),
};

/** Names accepted by `--preset`. */
export function protocolNames(): string[] {
  return Object.keys(factories);
}

/** The protocol for a `--preset` name; a usage error lists the valid names. */
export function protocolFor(name: string): Protocol {
  const factory = Object.prototype.hasOwnProperty.call(factories, name) ? factories[name] : undefined;
  if (!factory) throw new UsageError(`unknown preset "${name}" (known: ${protocolNames().join(', ')})`);
  return factory();
}
