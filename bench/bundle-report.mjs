// What is in an entry's min+gzip bundle: esbuild metafile, per input file, with zod external
// (as in .size-limit.json). `node bench/bundle-report.mjs "{ createClient, native }" [dist/index.js]`
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';

const [names = '{ createClient, native, webSocketTransport }', from = 'dist/index.js'] = process.argv.slice(2);
const result = await build({
  stdin: {
    contents: `export ${names} from ${JSON.stringify(resolve(from))};`,
    resolveDir: process.cwd(),
    loader: 'js',
  },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  metafile: true,
  external: ['zod', 'zod/*', 'react', 'react-dom'],
});
const out = Object.values(result.metafile.outputs)[0];
const total = result.outputFiles[0].contents;
console.log(`total: ${total.length} B min, ${gzipSync(total).length} B min+gzip`);
const rows = Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
for (const [file, { bytesInOutput }] of rows)
  if (bytesInOutput > 0) console.log(String(bytesInOutput).padStart(7), file);
