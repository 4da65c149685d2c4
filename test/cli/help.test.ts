import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/cli/help.js';
import { protocolNames } from '../../src/cli/protocols.js';

describe('helpText', () => {
  it('fills in the preset names wherever the help mentions them', () => {
    const presets = protocolNames().join(', ');
    expect(helpText('main')).toContain(`Presets: ${presets}`);
    expect(helpText('serve')).toContain(`(default native; one of ${presets})`);
    for (const name of ['main', 'serve', 'tail', 'demo', 'check']) expect(helpText(name)).not.toContain('{presets}');
  });

  it('gives each command its own help, and the main help for a name it does not know', () => {
    expect(helpText('check')).toMatch(/^dashwire check — conformance runner/);
    expect(helpText('tail')).toMatch(/^dashwire tail — /);
    expect(helpText('nope')).toBe(helpText('main'));
    expect(helpText('main')).toMatch(/^dashwire — typed real-time feed client\n/);
  });
});
