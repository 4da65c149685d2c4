/**
 * `dashwire infer`: a recording → a preset module; `dashwire infer --check`: a recording
 * through a preset module → counts per type.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkRecording, formatReport } from '../infer/check.js';
import { generateModule } from '../infer/generate.js';
import { InferError, inferModel } from '../infer/model.js';
import { parseRecording, RecordingError, type Recording } from '../infer/recording.js';
import { isRecord } from '../protocol/json.js';
import type { Protocol } from '../protocol/types.js';
import { lastValue, parseArgs, UsageError } from './args.js';
import { exitCodes, type CliIO } from './io.js';

/** Exit code of `infer --check` when a frame was invalid, unknown or malformed. */

/** Reads and parses a recording file; a missing or bad file is a usage error. */
export function readRecordingFile(path: string | undefined): Recording {
  if (!path) throw new UsageError('needs a recording file (made with dashwire tail --record FILE)');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
  try {
    return parseRecording(text);
  } catch (error) {
    if (error instanceof RecordingError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}

function isProtocol(value: unknown): value is Protocol {
  return isRecord(value) && typeof value.decode === 'function' && isRecord(value.events);
}

/** The protocol a module exports: its default export, else the first exported factory or protocol. */
function protocolFrom(module: Record<string, unknown>): Protocol | undefined {
  for (const value of [module.default, ...Object.values(module)]) {
    if (isProtocol(value)) return value;
    if (typeof value === 'function') {
      try {
        const made: unknown = (value as () => unknown)();
        if (isProtocol(made)) return made;
      } catch {
        /* not a factory without arguments */
      }
    }
  }
  return undefined;
}

/**
 * Loads a preset module. `.js`/`.mjs` are imported as they are. Node 20 cannot import `.ts`;
 * rather than ship a compiler, dashwire uses the `typescript` package of the project the file
 * lives in (a project that writes `.ts` has one) to strip the types into a temporary `.mjs`
 * next to the file, so its imports resolve as they would for the file itself.
 */
export async function loadPresetModule(file: string): Promise<Protocol> {
  const path = resolve(file);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (
      extname(path) !== '.ts' ||
      (code !== 'ERR_UNKNOWN_FILE_EXTENSION' && code !== 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING')
    )
      throw error;
    module = await importTranspiled(path);
  }
  const protocol = protocolFrom(module);
  if (!protocol)
    throw new UsageError(`${file} exports no protocol (expected a default export like the one dashwire infer writes)`);
  return protocol;
}

async function importTranspiled(path: string): Promise<Record<string, unknown>> {
  let ts: { transpileModule(input: string, options: object): { outputText: string } };
  try {
    ts = createRequire(path)('typescript') as typeof ts;
  } catch {
    throw new UsageError(
      `this Node cannot load .ts files and no "typescript" package was found next to ${basename(path)}: install it, or generate JavaScript with dashwire infer --format js`,
    );
  }
  const output = ts.transpileModule(readFileSync(path, 'utf8'), {
    compilerOptions: { module: 99 /* ESNext */, target: 9 /* ES2022 */, verbatimModuleSyntax: false },
  }).outputText;
  const temp = join(dirname(path), `.${basename(path, '.ts')}.dashwire-check-${process.pid}.mjs`);
  writeFileSync(temp, output);
  try {
    return (await import(pathToFileURL(temp).href)) as Record<string, unknown>;
  } finally {
    unlinkSync(temp);
  }
}

const help = `dashwire infer — generate a typed defineProtocol preset from a recording

Usage:
  dashwire infer <recording.ndjson> [--name NAME] [--format ts|js] [--out FILE]
  dashwire infer --check <recording.ndjson> <preset.ts|.mjs|.js> [--json]
Options:
  --name NAME     the preset's name: the factory and export prefix (default: inferred)
  --format F      ts (default) or js: ESM with JSDoc types, loads in Node without a compiler
  --out FILE      write the module to FILE (format from its extension) instead of stdout
  --check         decode every recorded server frame with the preset and count, per type,
                  typed / invalid / unknown frames (exit code 3 if any is not typed)
  --json          with --check: the report as one JSON object`;

/** Runs `dashwire infer …`. */
export async function inferCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['name', 'format', 'out'], flags: ['check', 'json', 'help'] });
  if (args.flags.has('help')) {
    io.stdout.write(`${help}\n`);
    return 0;
  }
  const recording = readRecordingFile(args.positionals[0]);
  if (args.flags.has('check')) {
    const file = args.positionals[1];
    if (!file) throw new UsageError('infer --check needs the recording and the preset module');
    const report = checkRecording(recording, await loadPresetModule(file));
    if (args.flags.has('json'))
      io.stdout.write(`${JSON.stringify({ types: Object.fromEntries(report.types), totals: report.totals })}\n`);
    else io.stdout.write(`${formatReport(report)}\n`);
    const t = report.totals;
    return t.invalid + t.unknown + t.malformed === 0 ? 0 : exitCodes.checkFailed;
  }
  const out = lastValue(args, 'out');
  const formatFlag = lastValue(args, 'format');
  if (formatFlag !== undefined && formatFlag !== 'ts' && formatFlag !== 'js')
    throw new UsageError(`--format is ts or js, got "${formatFlag}"`);
  const format = formatFlag ?? (out && /\.(m?js)$/.test(out) ? 'js' : 'ts');
  let model;
  try {
    model = inferModel(recording);
  } catch (error) {
    if (error instanceof InferError) throw new UsageError(`${args.positionals[0]}: ${error.message}`);
    throw error;
  }
  const text = generateModule(model, { name: lastValue(args, 'name') ?? 'inferred', format });
  if (out) {
    writeFileSync(out, text);
    io.stderr.write(
      `dashwire: wrote ${out}: ${model.types.length} message types from ${model.frames.server} server frames\n`,
    );
  } else {
    io.stdout.write(text);
  }
  return 0;
}
