import { builtinModules } from 'node:module';

/**
 * Workflow code runs in Temporal's deterministic sandbox: a Node built-in or a
 * module with I/O only fails when the worker bundles the workflows, at start-up.
 * This rule says so at lint time instead. Workflows may import the Temporal
 * workflow API, each other, `src/domain/` (workflow-safe types and pure
 * helpers) and the visibility modules a run executes (`runMemo`, `recordRun`);
 * activity modules only as types (`import type`), for proxyActivities.
 */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

const builtinNames = `(?:${nodeBuiltins.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})`;

const builtinPatterns = {
  regex: `^(?:node:.*|${builtinNames}(?:/.*)?)$`,
  message: 'Workflow-safe code cannot use Node built-ins: do the I/O in an activity.',
};

/** Any package but the workflow-safe Temporal ones (built-ins have their own message). */
const otherPackages = `^(?!node:|\\.|@temporalio/(?:workflow|common)$|${builtinNames}(?:/|$))`;

/** Options of `no-restricted-imports` for `src/workflows/`. */
export const workflowImportRule = [
  'error',
  {
    patterns: [
      builtinPatterns,
      {
        group: [
          '../*',
          '!../domain',
          '!../domain/*',
          '!../visibility',
          '../visibility/*',
          '!../visibility/runMemo',
          '!../visibility/recordRun',
        ],
        allowTypeImports: true,
        message:
          'Workflow code imports only @temporalio/workflow, other workflows, src/domain/ and the run-visibility modules (types from elsewhere with `import type`).',
      },
      {
        regex: otherPackages,
        allowTypeImports: true,
        message: 'Workflow code imports no package but @temporalio/workflow and @temporalio/common.',
      },
    ],
  },
];

/**
 * Options of `no-restricted-imports` for the run-visibility modules a run executes:
 * the workflow rule, and of their neighbours in src/visibility/ (the local activity,
 * the worker's start-up check) types only.
 */
export const visibilityImportRule = [
  'error',
  {
    patterns: [
      ...workflowImportRule[1].patterns,
      {
        group: ['./*', '!./runMemo', '!./recordRun'],
        allowTypeImports: true,
        message:
          'src/visibility/ modules that runs execute import only each other (types from the rest with `import type`).',
      },
    ],
  },
];

/** Options of `no-restricted-imports` for `src/domain/`, which workflows import. */
export const domainImportRule = [
  'error',
  {
    patterns: [
      builtinPatterns,
      {
        group: ['../*'],
        message: 'src/domain/ is imported by workflows: it depends on nothing outside itself.',
      },
      {
        regex: otherPackages,
        allowTypeImports: true,
        message: 'src/domain/ is imported by workflows: no package but @temporalio/common.',
      },
    ],
  },
];
