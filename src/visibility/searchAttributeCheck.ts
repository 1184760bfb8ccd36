import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import type { NativeConnection } from '@temporalio/worker';
import type { SearchAttributesMode } from '../config';
import { ConfigError } from '../domain/errors';
import { RUN_SEARCH_ATTRIBUTES, runSearchAttributeDeclarations } from './runMemo';

export interface SearchAttributeDecision {
  /** Whether runs on this worker upsert the search attributes. */
  enabled: boolean;
  /** Why, for the worker's start-up log. */
  reason: string;
}

/**
 * Decides at worker start whether runs write the typed search attributes.
 * Upserting one the namespace lacks fails the workflow task over and over, so
 * they are written only when all are registered with the right type; `required`
 * turns their absence into a start-up error instead of a silent memo-only mode.
 */
export async function decideSearchAttributes(
  mode: SearchAttributesMode,
  namespace: string,
  findProblems: () => Promise<string[]>,
): Promise<SearchAttributeDecision> {
  if (mode === 'off') return { enabled: false, reason: 'SEARCH_ATTRIBUTES=off: runs write the memo only' };
  let problems: string[];
  try {
    problems = await findProblems();
  } catch (error) {
    problems = [
      `could not list the search attributes of namespace ${namespace}: ${error instanceof Error ? error.message : String(error)}`,
    ];
  }
  if (problems.length === 0)
    return { enabled: true, reason: `namespace ${namespace} has ${registeredNames()} registered` };
  const howTo = `register them with: ${registrationCommands(namespace).join(' && ')}`;
  if (mode === 'required')
    throw new ConfigError([...problems.map((problem) => `SEARCH_ATTRIBUTES=required: ${problem}`), howTo]);
  return { enabled: false, reason: `${problems.join('; ')}; runs write the memo only until you ${howTo}` };
}

/** What is wrong with the run search attributes on `namespace`: missing or of another type. Empty when all is well. */
export async function runSearchAttributeProblems(connection: NativeConnection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const registered = customAttributes ?? {};
  return Object.values(RUN_SEARCH_ATTRIBUTES).flatMap(({ name, type }) => {
    if (!(name in registered)) return [`search attribute ${name} is not registered on namespace ${namespace}`];
    return registered[name] === encodeSearchAttributeIndexedValueType(type)
      ? []
      : [`search attribute ${name} on namespace ${namespace} has another type than ${type}`];
  });
}

/** The `temporal` CLI commands that register the run search attributes on a self-hosted cluster. */
export function registrationCommands(namespace: string): string[] {
  const byType = new Map<string, string[]>();
  for (const { name, type } of runSearchAttributeDeclarations()) byType.set(type, [...(byType.get(type) ?? []), name]);
  return [...byType].map(
    ([type, names]) =>
      `temporal operator search-attribute create --namespace ${namespace} ${names.map((name) => `--name ${name}`).join(' ')} --type ${type}`,
  );
}

function registeredNames(): string {
  return Object.values(RUN_SEARCH_ATTRIBUTES)
    .map(({ name }) => name)
    .join(', ');
}
