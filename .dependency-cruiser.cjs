/**
 * Import rules of dashwire's layers (`npm run lint` runs `depcruise src --config .dependency-cruiser.cjs`).
 * Data flows transport → protocol → client → app; backends sit beside protocol with a client
 * side (presets) and a server side (dialects). Type-only imports count: a cycle of types is
 * still a cycle a reader has to untangle.
 */

/** Files only the mock server runs: dialects, their helpers, the engine, the Node server, the CLI. */
const serverSide =
  '^src/(server|mock-server|cli)/|^src/backends/(dialects|shared-dialect)\\.ts$|^src/backends/[^/]+/dialect\\.ts$';
/** The client package entries: what an app bundles. */
const clientEntries = '^src/(index|react/index|otel/index|shared-worker/index)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: each unit can be read (and tested) after the ones it imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'transport-moves-bytes-only',
      severity: 'error',
      comment:
        'A transport knows bytes, not meaning: nothing from protocol, client, server, backends, mock server, react or cli.',
      from: { path: '^src/transport/' },
      to: { path: '^src/(protocol|client|server|backends|mock-server|react|cli)/' },
    },
    {
      name: 'client-not-server',
      severity: 'error',
      comment: 'The client never imports the mock server, the CLI or a backend dialect.',
      from: { path: '^src/client/' },
      to: { path: serverSide },
    },
    {
      name: 'client-bundles-no-dialects',
      severity: 'error',
      comment:
        'No client entry (dashwire, dashwire/react, dashwire/otel…) reaches a dialect or other server-only code, even indirectly.',
      from: { path: clientEntries },
      to: { path: serverSide, reachable: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
