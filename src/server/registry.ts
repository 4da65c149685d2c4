import { presetDialects } from '../backends/dialects.js';
import type { DialectFactory, ServerDialect } from './dialect.js';
import { nativeDialect } from './native-dialect.js';

/**
 * Every dialect by name: the native protocol, each preset's (from the typed backend registry),
 * and those an app adds with {@link registerDialect}. The one name → factory table of the
 * server side; it imports the dialects, and no dialect imports it.
 */
const dialects = new Map<string, DialectFactory>([
  ['native', () => nativeDialect()],
  ...Object.entries(presetDialects),
]);

/** Makes a dialect available by name to `createFeedEngine({ protocol: name })`. @category Mock server */
export function registerDialect(name: string, factory: DialectFactory): void {
  dialects.set(name, factory);
}

/** Names of every registered dialect. @category Mock server */
export function dialectNames(): string[] {
  return [...dialects.keys()];
}

/** A new instance of the named dialect; throws a TypeError listing the known names when unknown. @category Mock server */
export function createDialect(name: string): ServerDialect {
  const factory = dialects.get(name);
  if (!factory)
    throw new TypeError(`dashwire mock server: unknown protocol "${name}" (known: ${dialectNames().join(', ')})`);
  return factory();
}
