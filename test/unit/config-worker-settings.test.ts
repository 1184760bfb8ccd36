import { describe, expect, it } from 'vitest';
import { loadConfig, redactedConfig, SETTINGS, webUiScheduleUrl } from '../../src/config';
import { ConfigError } from '../../src/domain/errors';

// A config-file path that does not exist keeps the developer's own Temporal profile out of these tests.
const base = { TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('worker settings', () => {
  it('default to bounded concurrency, a one-minute drain, no metrics endpoint and auto search attributes', () => {
    expect(loadConfig(base).worker).toEqual({
      maxConcurrentActivities: 10,
      maxConcurrentWorkflowTasks: 10,
      shutdownGraceMs: 60_000,
      metricsPrometheusAddress: undefined,
      searchAttributes: 'auto',
    });
  });

  it('are read from the environment', () => {
    const config = loadConfig({
      ...base,
      WORKER_MAX_CONCURRENT_ACTIVITIES: '3',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '4',
      WORKER_SHUTDOWN_GRACE_MS: '0',
      METRICS_PROMETHEUS_ADDRESS: '0.0.0.0:9464',
      SEARCH_ATTRIBUTES: 'Required',
    });
    expect(config.worker).toEqual({
      maxConcurrentActivities: 3,
      maxConcurrentWorkflowTasks: 4,
      shutdownGraceMs: 0,
      metricsPrometheusAddress: '0.0.0.0:9464',
      searchAttributes: 'required',
    });
    expect(redactedConfig(config).worker).toMatchObject({
      metricsPrometheusAddress: '0.0.0.0:9464',
      searchAttributes: 'required',
    });
  });

  it('are all validated at once, with every problem listed', () => {
    const problems = problemsOf({
      WORKER_MAX_CONCURRENT_ACTIVITIES: '0',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1',
      WORKER_SHUTDOWN_GRACE_MS: '-5',
      METRICS_PROMETHEUS_ADDRESS: 'localhost',
      SEARCH_ATTRIBUTES: 'sometimes',
    });
    expect(problems).toHaveLength(5);
    for (const name of [
      'WORKER_MAX_CONCURRENT_ACTIVITIES',
      'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
      'WORKER_SHUTDOWN_GRACE_MS',
      'METRICS_PROMETHEUS_ADDRESS',
      'SEARCH_ATTRIBUTES',
    ]) {
      expect(problems.join('\n')).toContain(name);
    }
  });

  it('accept the bind addresses Prometheus exporters use and refuse broken ones', () => {
    for (const good of ['0.0.0.0:9464', '127.0.0.1:1', '[::]:9464', 'worker.internal:65535'])
      expect(problemsOf({ METRICS_PROMETHEUS_ADDRESS: good }), good).toEqual([]);
    for (const bad of [':9464', '0.0.0.0:0', '0.0.0.0:70000', 'http://0.0.0.0:9464'])
      expect(problemsOf({ METRICS_PROMETHEUS_ADDRESS: bad }), bad).toHaveLength(1);
  });

  it('are documented in SETTINGS, which the README table and the compose test rely on', () => {
    const names = SETTINGS.map((setting) => setting.name);
    for (const name of [
      'WORKER_MAX_CONCURRENT_ACTIVITIES',
      'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
      'WORKER_SHUTDOWN_GRACE_MS',
      'METRICS_PROMETHEUS_ADDRESS',
      'SEARCH_ATTRIBUTES',
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe('webUiScheduleUrl', () => {
  it('links to a schedule in the Web UI', () => {
    expect(webUiScheduleUrl(loadConfig({ ...base, TEMPORAL_ADDRESS: '127.0.0.1:7555' }), 'uk chargers')).toBe(
      'http://localhost:8555/namespaces/default/schedules/uk%20chargers',
    );
    expect(webUiScheduleUrl(loadConfig({ ...base, TEMPORAL_ADDRESS: 'temporal.internal:7233' }), 'x')).toBeUndefined();
  });
});
