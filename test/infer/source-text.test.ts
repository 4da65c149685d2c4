import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { access, commentSafe, literal, propertyKey, str } from '../../src/infer/source-text.js';

/** Evaluates generated source the way the generated module would. */
const evaluate = (code: string, scope: Record<string, unknown> = {}): unknown =>
  runInNewContext(`(${code})`, scope) as unknown;

describe('source text', () => {
  it('str gives a single-quoted literal that reads back as the same text', () => {
    expect(str('trade')).toBe("'trade'");
    expect(str(`it's "x"`)).toBe(`'it\\'s "x"'`);
    for (const text of [`it's`, 'a"b', 'back\\slash', 'line\nbreak', '\u2028', '*/', '']) {
      expect(evaluate(str(text))).toBe(text);
    }
  });

  it('propertyKey quotes what is not an identifier, and keeps __proto__ an own key', () => {
    expect(propertyKey('price')).toBe('price');
    expect(propertyKey('$ok_1')).toBe('$ok_1');
    expect(propertyKey('odd key')).toBe('"odd key"');
    expect(propertyKey('1st')).toBe('"1st"');
    const made = evaluate(`{ ${propertyKey('__proto__')}: { polluted: 1 }, ${propertyKey('odd key')}: 2 }`) as object;
    expect(Object.keys(made)).toEqual(['__proto__', 'odd key']);
    expect('polluted' in made).toBe(false);
  });

  it('commentSafe cannot end a comment or start a new line', () => {
    const text = commentSafe('bad */ x\r\nnext\u2028line');
    expect(text).toBe('bad *\\/ x next line');
    expect(text).not.toContain('*/');
    expect(text).not.toMatch(/[\r\n\u2028\u2029]/);
  });

  it('literal writes JSON values as JS that evaluates to an equal value', () => {
    const value = { op: 'sub', n: 1.5, ok: true, none: null, list: [1, 'a', { 'x y': [] }], nested: {} };
    expect(literal(value)).toBe(
      "{ op: 'sub', n: 1.5, ok: true, none: null, list: [1, 'a', { \"x y\": [] }], nested: {} }",
    );
    expect(evaluate(literal(value))).toEqual(value);
    expect(Object.keys(evaluate(literal(JSON.parse('{"__proto__":{"a":1}}'))) as object)).toEqual(['__proto__']);
  });

  it('access reads a path with dots, or brackets where a key is not an identifier', () => {
    expect(access('m', ['data', 'id'])).toBe('m.data.id');
    expect(access('m', ['odd key', '__proto__'])).toBe('m["odd key"].__proto__');
    const m = { data: { id: 7 }, 'odd key': { v: 'x' } };
    expect(evaluate(access('m', ['data', 'id']), { m })).toBe(7);
    expect(evaluate(access('m', ['odd key', 'v']), { m })).toBe('x');
  });
});
