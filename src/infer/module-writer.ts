/**
 * The module being generated: the facts every section of it reads (format, names, the
 * catalogued types) and the lines written so far. Sections write in the order the module reads.
 */
import type { InferredModel, InferredType } from './model.js';
import { commentSafe } from './source-text.js';

/** What a section of the generated module reads, and where it writes. */
export interface ModuleWriter {
  readonly model: InferredModel;
  /** TypeScript; `false`: ESM JavaScript with JSDoc types. */
  readonly ts: boolean;
  /** The preset's identifier (`myBackend`): the factory's name and the prefix of its exports. */
  readonly name: string;
  /** `name` capitalised, for type names (`MyBackendOptions`). */
  readonly Name: string;
  /** The server messages' discriminator key. */
  readonly disc: string;
  /** The recorded URL without query or fragment, safe inside a comment. */
  readonly origin: string;
  /** The types in the events catalogue: events and welcomes. */
  readonly catalogued: readonly InferredType[];
  /** Catalogued types whose channel the decode assigns from the type. */
  readonly routed: readonly InferredType[];
  /** Appends one line (an empty one by default). */
  readonly line: (text?: string) => void;
  /** The module so far, ending in a newline. */
  readonly text: () => string;
}

/** A writer for the module of `model`; `name` is already a valid identifier. */
export function createModuleWriter(model: InferredModel, ts: boolean, name: string): ModuleWriter {
  const out: string[] = [];
  let origin = model.url;
  try {
    const u = new URL(model.url);
    origin = `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    /* keep as recorded */
  }
  const catalogued = model.types.filter((t) => t.role === 'event' || t.role === 'welcome');
  return {
    model,
    ts,
    name,
    Name: name[0]!.toUpperCase() + name.slice(1),
    disc: model.discriminator.key,
    origin: commentSafe(origin),
    catalogued,
    routed: catalogued.filter((t) => t.channel !== undefined && model.channelMode !== 'filter'),
    line: (text = '') => {
      out.push(text);
    },
    text: () => `${out.join('\n')}\n`,
  };
}
