/**
 * Client frames as code: a recorded subscribe, unsubscribe or ping frame turned into the
 * expression the generated preset sends, with channel, id and timestamps filled in.
 */
import { isRecord } from '../protocol/json.js';
import type { FrameTemplate } from './client-frames.js';
import { literal, propertyKey } from './source-text.js';

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
export function templateExpression(t: FrameTemplate, disc: string, withParams: boolean): string {
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
