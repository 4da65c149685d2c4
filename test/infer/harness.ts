/**
 * Helpers for the record → infer → check tests: run the CLI in process, keep generated
 * modules in a temporary folder inside the repo (so vitest resolves `zod` and `dashwire`
 * for them), and type-check them all in one TypeScript program.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { run, type CliIO } from '../../src/cli/run.js';
import { parseRecording, type Recording } from '../../src/infer/recording.js';
import type { Protocol } from '../../src/protocol/types.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Captures a CLI run's output. */
export function cliIO(signal = new AbortController().signal) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    signal,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

/** Runs the CLI; throws with its stderr when the exit code is not `expected`. */
export async function cli(argv: string[], expected = 0): Promise<string> {
  const c = cliIO();
  const code = await run(argv, c.io);
  if (code !== expected)
    throw new Error(
      `dashwire ${argv.join(' ')} exited ${code}, expected ${expected}:\n${c.err()}${c.out().slice(0, 2000)}`,
    );
  return c.out();
}

/** A scratch folder under test/infer, removed by `dispose`. */
export function scratch() {
  const dir = mkdtempSync(join(root, 'test', 'infer', '.tmp-'));
  return {
    dir,
    file: (name: string) => join(dir, name),
    write(name: string, text: string): string {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Reads a recording file. */
export function readRecording(path: string): Recording {
  return parseRecording(readFileSync(path, 'utf8'));
}

/** Imports a generated module (vitest compiles .ts) and calls its default factory. */
export async function loadGenerated(path: string): Promise<Protocol> {
  const module = (await import(/* @vite-ignore */ pathToFileURL(path).href)) as { default: () => Protocol };
  return module.default();
}

/**
 * Type-checks files as a strict app would, `dashwire` resolved to the source. One program for
 * all files: each program loads the whole library, so this is paid once. Returns diagnostics.
 */
export function typecheck(files: readonly string[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noPropertyAccessFromIndexSignature: true,
    noUnusedLocals: true,
    noEmit: true,
    skipLibCheck: true,
    allowJs: true,
    checkJs: true,
    types: ['node'],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    paths: { dashwire: [join(root, 'src/index.ts')] },
  };
  const program = ts.createProgram([...files], options);
  return (
    ts
      .getPreEmitDiagnostics(program)
      // Only the generated files: the library itself is checked under its own tsconfig.
      .filter((d) => d.file === undefined || files.includes(d.file.fileName))
      .map((d) => {
        const where =
          d.file && d.start !== undefined
            ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
            : '';
        return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      })
  );
}
