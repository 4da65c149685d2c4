import { describe, expect, expectTypeOf, it } from 'vitest';
import { presetDialects } from '../../src/backends/dialects.js';
import { presets, type PresetName } from '../../src/backends/presets.js';
import { protocolFor, protocolNames } from '../../src/cli/protocols.js';
import type { DialectFactory } from '../../src/server/dialect.js';
import { createDialect, dialectNames } from '../../src/server/registry.js';

// One list of backend names, two registries checked against it: each backend has both sides.
describe('backend registry', () => {
  it('every preset has a mock dialect of the same name, and the CLI knows both', () => {
    expect(Object.keys(presetDialects).sort()).toEqual(Object.keys(presets).sort());
    for (const name of Object.keys(presets) as PresetName[]) {
      expect(presets[name]().name).toBe(name);
      expect(createDialect(name).name).toBe(name);
      expect(protocolFor(name).name).toBe(name);
    }
    expect(dialectNames().sort()).toEqual(['native', ...Object.keys(presets)].sort());
    expect(protocolNames().sort()).toEqual(['native', ...Object.keys(presets)].sort());
  });

  it('a registry that lacks a backend, or names one that does not exist, does not compile', () => {
    expectTypeOf<keyof typeof presets>().toEqualTypeOf<PresetName>();
    expectTypeOf<keyof typeof presetDialects>().toEqualTypeOf<PresetName>();
    const { sentio: _sentio, ...withoutSentio } = presetDialects;
    // @ts-expect-error -- sentio has a preset but no dialect here
    void (withoutSentio satisfies Record<PresetName, DialectFactory>);
    // @ts-expect-error -- no backend is called "ghost"
    void ({ ...presetDialects, ghost: presetDialects.ares } satisfies Record<PresetName, DialectFactory>);
  });
});
