import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import { domainImportRule, visibilityImportRule, workflowImportRule } from './eslint/workflowSafeImports.mjs';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'build/',
      'src/transform/assembly/',
      'output/',
      'bench/data/',
      'coverage/',
      'node_modules/',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Async functions that implement an async interface (activities, stores, stubs) need no await.
      '@typescript-eslint/require-await': 'off',
      // Control characters in patterns are deliberate: text from a registry is scrubbed of them.
      'no-control-regex': 'off',
    },
  },
  { files: ['src/workflows/**/*.ts'], rules: { 'no-restricted-imports': workflowImportRule } },
  // The visibility modules a run executes (the memo and search attributes it upserts) are workflow code too.
  {
    files: ['src/visibility/runMemo.ts', 'src/visibility/recordRun.ts'],
    rules: { 'no-restricted-imports': visibilityImportRule },
  },
  { files: ['src/domain/**/*.ts'], rules: { 'no-restricted-imports': domainImportRule } },
  // Commands load their action (and the action its rarer paths) lazily with require(): a dynamic import()
  // would start Node's ESM loader, about a tenth of a second of every command's start-up.
  // The same for the transform pipeline's gzip support (node:zlib), which plain payloads never need.
  {
    files: ['src/cli/**/*.ts', 'src/transform/pipeline.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // vitest's asymmetric matchers (expect.stringContaining, …) and JSON.parse of fixtures are typed `any`.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.mts'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
