// ESLint flat config: typescript-eslint's type-checked rules for the TypeScript sources, tests,
// examples and benchmarks; plain recommended rules for the .mjs/.js scripts. Formatting is
// Prettier's job (.prettierrc.json), so nothing here is about layout.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'docs/api/**',
      'node_modules/**',
      'examples/**/dist/**',
      'examples/**/node_modules/**',
      '.vitest-attachments/**',
      'test/**/__screenshots__/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_name` marks what is destructured away on purpose (`const { type: _type, ...rest } = msg`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `Options<O extends EventCatalog = {}>`: `{}` is the "no overrides" catalogue, the neutral
      // element of `WithEvents`; `object` or `Record<string, never>` would change what infers.
      '@typescript-eslint/no-empty-object-type': [
        'error',
        { allowInterfaces: 'with-single-extends', allowObjectTypes: 'always' },
      ],
      // Template literals with numbers (`${ms} ms`, `${seq}`) are the normal way to build frames and
      // messages here; unions and objects in templates are still reported.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Fire-and-forget promises are deliberate in socket callbacks and timers, where each one
      // handles its own rejection (errors go to events, never out of a callback); flagging every
      // one would bury the few real findings. Kept for awaited code by `await-thenable`.
      '@typescript-eslint/no-floating-promises': 'off',
      // Callbacks typed `() => void` that are given async functions (event handlers, `setTimeout`)
      // are the point of an event API; the returned promise is handled inside.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // Tests read untyped JSON (`JSON.parse`, fixtures, `frame.json`) on purpose, to check what
    // arrived on the wire; the `unsafe-*` rules would demand a cast on every assertion.
    files: ['test/**/*.ts', 'test/**/*.tsx', 'examples/**/*.ts', 'examples/**/*.tsx', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // `expect(obj.method).toHaveBeenCalled()` and spies pass methods unbound by design.
      '@typescript-eslint/unbound-method': 'off',
      // Fake servers and handlers are written `async` to match the interface they stand in for.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        setImmediate: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        TextEncoder: 'readonly',
        WebSocket: 'readonly',
        globalThis: 'readonly',
        queueMicrotask: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
);
