/** Parses JSON without throwing: `undefined` means "not JSON". */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON with object keys sorted (and `undefined` members dropped), so equal params give equal
 * strings: how dashwire tells subscriptions apart. Handy as a React dependency key.
 * @category Subscriptions
 */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Appends a query parameter to a URL string, keeping any that are there. */
export function withQuery(url: string, key: string, value: string): string {
  const sep = url.includes('?') ? '&' : '?';
  return `${url}${sep}${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
}

/** Index just past the JSON string that starts (with its quote) at `i`; -1 if unterminated. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c)
      j++; // backslash: skip the escaped character
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** Index just past the JSON value that starts at `i` (nested values skipped by depth); -1 if broken. */
function skipValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return skipString(text, i);
  if (first !== '{' && first !== '[') {
    let j = i;
    while (j < text.length && !',}] \t\r\n'.includes(text[j]!)) j++;
    return j > i ? j : -1;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      j = skipString(text, j) - 1;
      if (j < 0) return -1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (--depth === 0) return j + 1;
    }
  }
  return -1;
}

const space = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/**
 * A scalar JSON value read without JSON.parse (the point of peeking is that an oversize frame
 * never reaches the parser): strings without escapes, numbers, true/false/null; else undefined.
 */
function scalar(token: string): unknown {
  if (token.startsWith('"')) return token.includes('\\') ? undefined : token.slice(1, -1);
  if (token === 'true') return true;
  if (token === 'false') return false;
  if (token === 'null') return null;
  return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token) ? Number(token) : undefined;
}

/**
 * Reads the named top-level members of a JSON object text without parsing the others: their
 * values are skipped character by character, never materialized. For frames too large to
 * parse whose envelope still matters (an oversize event consumes its seq). Stops as soon as
 * every wanted key is found; undefined when the text is not an object. Values that are not
 * plain scalars (objects, arrays, strings with escapes) read as undefined.
 */
export function peekTopLevel(text: string, wanted: readonly string[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let found = 0;
  let i = 0;
  const ws = (): void => {
    while (space(text[i])) i++;
  };
  ws();
  if (text[i] !== '{') return undefined;
  i++;
  for (;;) {
    ws();
    if (text[i] === '}') return out;
    if (text[i] !== '"') return undefined;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return undefined;
    const key = scalar(text.slice(i, keyEnd));
    i = keyEnd;
    ws();
    if (text[i] !== ':') return undefined;
    i++;
    ws();
    const valueEnd = skipValue(text, i);
    if (valueEnd < 0) return undefined;
    if (typeof key === 'string' && wanted.includes(key) && !Object.prototype.hasOwnProperty.call(out, key)) {
      out[key] = scalar(text.slice(i, valueEnd));
      if (++found === wanted.length) return out;
    }
    i = valueEnd;
    ws();
    if (text[i] === ',') i++;
    else if (text[i] === '}') return out;
    else return undefined;
  }
}
