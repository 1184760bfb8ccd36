import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import { domainImportRule, workflowImportRule } from './eslint/workflowSafeImports.mjs';

export default tseslint.config(
  { ignores: ['dist/', 'output/', 'bench/data/', 'coverage/', 'node_modules/', '**/*.cjs'] },
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
    },
  },
  { files: ['src/workflows/**/*.ts'], rules: { 'no-restricted-imports': workflowImportRule } },
  { files: ['src/domain/**/*.ts'], rules: { 'no-restricted-imports': domainImportRule } },
  { files: ['**/*.mjs', '**/*.mts'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
