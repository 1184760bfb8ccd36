import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/** The `no-restricted-imports` entry the project's ESLint configuration applies to a file. */
async function configuredRule(filePath: string): Promise<Linter.RuleEntry> {
  const config = (await new ESLint().calculateConfigForFile(filePath)) as { rules?: Linter.RulesRecord };
  const rule = config.rules?.['no-restricted-imports'];
  if (rule === undefined) throw new Error(`eslint.config.mjs applies no no-restricted-imports rule to ${filePath}`);
  return rule;
}

function restrictedImports(rule: Linter.RuleEntry, source: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    source,
    { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-imports': rule } },
    'fixture.ts',
  );
  return messages.map((message) => message.message);
}

describe('lint: workflow code imports only workflow-safe modules', () => {
  let workflowRule: Linter.RuleEntry;
  let domainRule: Linter.RuleEntry;
  let visibilityRule: Linter.RuleEntry;
  beforeAll(async () => {
    visibilityRule = await configuredRule('src/visibility/recordRun.ts');
    workflowRule = await configuredRule('src/workflows/chargerEtl.ts');
    domainRule = await configuredRule('src/domain/runReport.ts');
  });

  it.each([
    ["import { readFileSync } from 'node:fs';", 'Node built-ins'],
    ["import { createHash } from 'crypto';", 'Node built-ins'],
    ["import { join } from 'path/posix';", 'Node built-ins'],
    ["import { fetchData } from '../activities/fetchData';", 'imports only @temporalio/workflow'],
    ["import { HttpSource } from '../source/httpSource';", 'imports only @temporalio/workflow'],
    [
      "import { decideSearchAttributes } from '../visibility/searchAttributeCheck';",
      'imports only @temporalio/workflow',
    ],
    ["import axios from 'axios';", 'no package but'],
    ["import { Connection } from '@temporalio/client';", 'no package but'],
  ])('refuses %s', (source, reason) => {
    const messages = restrictedImports(workflowRule, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(reason);
  });

  it.each([
    "import { proxyActivities } from '@temporalio/workflow';",
    "import { ApplicationFailure } from '@temporalio/common';",
    "import type { Activities } from '../activities';",
    "import { inputCredentialsProblem } from '../domain/runReport';",
    "import { progressQuery } from './definitions';",
    "import { announceRun } from '../visibility/recordRun';",
  ])('allows %s', (source) => {
    expect(restrictedImports(workflowRule, source)).toEqual([]);
  });

  it('holds the visibility modules a run executes to the workflow rule, and off their Node-side neighbours', () => {
    expect(restrictedImports(visibilityRule, "import { readFileSync } from 'node:fs';")).toHaveLength(1);
    expect(
      restrictedImports(visibilityRule, "import { decideSearchAttributes } from './searchAttributeCheck';"),
    ).toHaveLength(1);
    expect(
      restrictedImports(visibilityRule, "import type { RunVisibilityActivities } from './runVisibilityActivity';"),
    ).toEqual([]);
    expect(restrictedImports(visibilityRule, "import { outcomeOf } from './runMemo';")).toEqual([]);
    expect(restrictedImports(visibilityRule, "import type { RunReport } from '../domain/runReport';")).toEqual([]);
  });

  it('holds src/domain/ to the same rule, since workflows import it', () => {
    expect(restrictedImports(domainRule, "import { createHash } from 'node:crypto';")).toHaveLength(1);
    expect(restrictedImports(domainRule, "import { BlobStore } from '../storage/blobStore';")).toHaveLength(1);
    expect(restrictedImports(domainRule, "import type { BlobStore } from '../storage/blobStore';")).toHaveLength(1);
    expect(restrictedImports(domainRule, "import { redact } from './redact';")).toEqual([]);
  });
});
