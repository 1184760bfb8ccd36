import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { DEFAULTS } from './defaults';
import { parseDurationMs } from './domain/duration';
import { ConfigError } from './domain/errors';
import { redactUrl } from './domain/redact';
import { BUNDLED_FEEDS_FILE, loadCatalogue, type FeedCatalogue } from './feeds/catalogue';
import { parseDestination } from './storage/destination';

/** Every setting the worker and CLI use, validated once at start-up. */
export interface AppConfig {
  temporal: {
    /** Connection options from @temporalio/envconfig: may hold an API key or TLS key, never print it. */
    connect: ClientConnectConfig;
    address: string;
    namespace: string;
    taskQueue: string;
    /** Base URL of the Temporal Web UI, when known. */
    uiUrl?: string;
  };
  /** Default source; may carry credentials, so it never leaves the worker unredacted. */
  sourceUrl: string;
  /** Hosts the worker may fetch from (SSRF guard). */
  sourceAllowedHosts: string[];
  sourceConnectTimeoutMs: number;
  sourceIdleTimeoutMs: number;
  sourceMaxBytes: number;
  destination: string;
  /** Largest fall in devicesKept, as a fraction of the published run, that may still be published. */
  publishMaxDropFraction: number;
  logLevel: LogLevel;
  /** How the worker process runs; the CLI ignores these. */
  worker: WorkerSettings;
  feeds: FeedSettings;
}

/** The open-data feeds: their catalogue and how a charge-points run treats them. */
export interface FeedSettings {
  /** The validated catalogue (FEEDS_FILE, else the bundled one). */
  catalogue: FeedCatalogue;
  /** Feeds fetched at once. */
  maxConcurrency: number;
  /** A failing feed's snapshot older than this is not used (the feed is `expired`). */
  maxStaleMs: number;
  /** The period maxRequestsPerHour counts in: an hour, shorter only in tests. */
  budgetWindowMs: number;
}

export interface WorkerSettings {
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  /** How long a stopping worker lets in-flight activities finish before cancelling them. */
  shutdownGraceMs: number;
  /** host:port of the Prometheus endpoint for the Temporal runtime's metrics; none when unset. */
  metricsPrometheusAddress?: string;
  searchAttributes: SearchAttributesMode;
}

/**
 * Whether runs also write the typed search attributes (src/visibility/runMemo.ts);
 * the memo is always written. `auto`: when the namespace has them registered
 * (checked at worker start); `required`: the worker refuses to start without them.
 */
export type SearchAttributesMode = 'auto' | 'required' | 'off';
const SEARCH_ATTRIBUTES_MODES: readonly SearchAttributesMode[] = ['auto', 'required', 'off'];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** One environment variable the project reads, for validation and the README's table. */
interface Setting {
  name: string;
  default: string;
  meaning: string;
}

/** The project's own variables; Temporal's (TEMPORAL_ADDRESS, …) and AWS's are documented by their owners. */
export const SETTINGS: readonly Setting[] = [
  { name: 'SOURCE_URL', default: DEFAULTS.sourceUrl, meaning: 'registry JSON endpoint' },
  {
    name: 'SOURCE_ALLOWED_HOSTS',
    default: 'host of SOURCE_URL',
    meaning: 'comma-separated hosts the worker may fetch from',
  },
  {
    name: 'SOURCE_CONNECT_TIMEOUT_MS',
    default: String(DEFAULTS.sourceConnectTimeoutMs),
    meaning: 'time to wait for response headers',
  },
  {
    name: 'SOURCE_IDLE_TIMEOUT_MS',
    default: String(DEFAULTS.sourceIdleTimeoutMs),
    meaning: 'longest pause between body bytes',
  },
  { name: 'SOURCE_MAX_BYTES', default: String(DEFAULTS.sourceMaxBytes), meaning: 'largest body accepted' },
  { name: 'DESTINATION', default: DEFAULTS.destination, meaning: 's3://bucket/prefix/ or file:DIR' },
  {
    name: 'PUBLISH_MAX_DROP_FRACTION',
    default: String(DEFAULTS.publishMaxDropFraction),
    meaning: 'publish guard: largest allowed fall in devicesKept',
  },
  { name: 'TEMPORAL_TASK_QUEUE', default: DEFAULTS.taskQueue, meaning: 'task queue of the worker and runs' },
  {
    name: 'TEMPORAL_UI_URL',
    default: 'http://localhost:8233 for a local server',
    meaning: 'Web UI base URL for links',
  },
  { name: 'LOG_LEVEL', default: DEFAULTS.logLevel, meaning: 'debug, info, warn or error' },
  {
    name: 'WORKER_MAX_CONCURRENT_ACTIVITIES',
    default: String(DEFAULTS.workerMaxConcurrentActivities),
    meaning: 'activities one worker runs at once',
  },
  {
    name: 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
    default: String(DEFAULTS.workerMaxConcurrentWorkflowTasks),
    meaning: 'workflow tasks one worker runs at once (at least 2)',
  },
  {
    name: 'WORKER_SHUTDOWN_GRACE_MS',
    default: String(DEFAULTS.workerShutdownGraceMs),
    meaning: 'on SIGTERM/SIGINT, time in-flight activities get to finish before they are cancelled',
  },
  {
    name: 'METRICS_PROMETHEUS_ADDRESS',
    default: '(off)',
    meaning: 'host:port to serve the Temporal runtime metrics on for Prometheus, e.g. 0.0.0.0:9464',
  },
  {
    name: 'FEEDS_FILE',
    default: `${DEFAULTS.feedsFile} (bundled)`,
    meaning: 'the open-data feed catalogue (YAML, see "Feed catalogue")',
  },
  {
    name: 'FEEDS_MAX_CONCURRENCY',
    default: String(DEFAULTS.feedsMaxConcurrency),
    meaning: 'feeds a charge-points run fetches at once (the feeds of one host always one after another)',
  },
  {
    name: 'FEED_MAX_STALE',
    default: DEFAULTS.feedMaxStale,
    meaning: 'oldest last good snapshot that will stand in for a failing feed, e.g. 7d or 36h',
  },
  {
    name: 'FEED_BUDGET_WINDOW',
    default: DEFAULTS.feedBudgetWindow,
    meaning: "the period a feed's maxRequestsPerHour counts in; shorten it only to test budgets, e.g. 10s",
  },
  {
    name: 'SEARCH_ATTRIBUTES',
    default: 'auto',
    meaning: 'auto, required or off: whether runs write the UkChargers* search attributes',
  },
];

type Env = Record<string, string | undefined>;

/**
 * Reads and validates every setting from the environment (and the Temporal
 * config file through envconfig). Collects all problems before throwing one
 * ConfigError, so an operator fixes everything in one go.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const positiveInt = (name: string, fallback: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) {
      problems.push(`${name} must be a positive integer, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const integerAtLeast = (name: string, min: number, fallback: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min) {
      problems.push(`${name} must be an integer of at least ${min}, got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const sourceUrl = read('SOURCE_URL') ?? DEFAULTS.sourceUrl;
  let sourceHost: string | undefined;
  try {
    const url = new URL(sourceUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push(`SOURCE_URL must be http(s), got "${redactUrl(sourceUrl)}"`);
    }
    sourceHost = url.hostname;
  } catch {
    problems.push(`SOURCE_URL is not a URL: "${redactUrl(sourceUrl)}"`);
  }
  const allowedRaw = read('SOURCE_ALLOWED_HOSTS');
  const sourceAllowedHosts = allowedRaw
    ? allowedRaw
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean)
    : sourceHost
      ? [sourceHost.toLowerCase()]
      : [];

  const destination = read('DESTINATION') ?? DEFAULTS.destination;
  try {
    parseDestination(destination);
  } catch (error) {
    problems.push(error instanceof ConfigError ? error.problems.join('; ') : `DESTINATION: ${String(error)}`);
  }

  const dropRaw = read('PUBLISH_MAX_DROP_FRACTION');
  let publishMaxDropFraction: number = DEFAULTS.publishMaxDropFraction;
  if (dropRaw !== undefined) {
    const value = Number(dropRaw);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      problems.push(`PUBLISH_MAX_DROP_FRACTION must be a number from 0 to 1, got "${dropRaw}"`);
    } else {
      publishMaxDropFraction = value;
    }
  }

  const logLevelRaw = (read('LOG_LEVEL') ?? DEFAULTS.logLevel).toLowerCase();
  if (!LOG_LEVELS.includes(logLevelRaw as LogLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevelRaw}"`);
  }

  const metricsPrometheusAddress = read('METRICS_PROMETHEUS_ADDRESS');
  if (metricsPrometheusAddress !== undefined && !isHostPort(metricsPrometheusAddress)) {
    problems.push(
      `METRICS_PROMETHEUS_ADDRESS must be host:port (e.g. 0.0.0.0:9464), got "${metricsPrometheusAddress}"`,
    );
  }
  const searchAttributesRaw = (read('SEARCH_ATTRIBUTES') ?? 'auto').toLowerCase();
  if (!SEARCH_ATTRIBUTES_MODES.includes(searchAttributesRaw as SearchAttributesMode)) {
    problems.push(
      `SEARCH_ATTRIBUTES must be one of ${SEARCH_ATTRIBUTES_MODES.join(', ')}, got "${searchAttributesRaw}"`,
    );
  }

  const feedsFile = read('FEEDS_FILE') ?? BUNDLED_FEEDS_FILE;
  let catalogue: FeedCatalogue = { path: feedsFile, feeds: [] };
  try {
    catalogue = loadCatalogue(feedsFile);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const maxStaleRaw = read('FEED_MAX_STALE') ?? DEFAULTS.feedMaxStale;
  const maxStaleMs = parseDurationMs(maxStaleRaw);
  if (maxStaleMs === undefined) {
    problems.push(`FEED_MAX_STALE must be a duration above zero such as 7d, 36h or 90m, got "${maxStaleRaw}"`);
  }

  const budgetWindowRaw = read('FEED_BUDGET_WINDOW') ?? DEFAULTS.feedBudgetWindow;
  const budgetWindowMs = parseDurationMs(budgetWindowRaw);
  if (budgetWindowMs === undefined) {
    problems.push(`FEED_BUDGET_WINDOW must be a duration above zero such as 1h or 10s, got "${budgetWindowRaw}"`);
  }

  let connect: ClientConnectConfig = { connectionOptions: {} };
  try {
    connect = loadClientConnectConfig({ overrideEnvVars: definedOnly(env) });
  } catch (error) {
    problems.push(`Temporal client configuration: ${error instanceof Error ? error.message : String(error)}`);
  }
  const address = connect.connectionOptions.address ?? DEFAULTS.temporalAddress;
  const namespace = connect.namespace ?? DEFAULTS.namespace;
  const uiUrl = read('TEMPORAL_UI_URL') ?? defaultUiUrl(address);
  if (uiUrl !== undefined && !/^https?:\/\//.test(uiUrl)) {
    problems.push(`TEMPORAL_UI_URL must start with http:// or https://, got "${uiUrl}"`);
  }

  const config: AppConfig = {
    temporal: {
      connect: { ...connect, connectionOptions: { ...connect.connectionOptions, address } },
      address,
      namespace,
      taskQueue: read('TEMPORAL_TASK_QUEUE') ?? DEFAULTS.taskQueue,
      uiUrl: uiUrl?.replace(/\/+$/, ''),
    },
    sourceUrl,
    sourceAllowedHosts,
    sourceConnectTimeoutMs: positiveInt('SOURCE_CONNECT_TIMEOUT_MS', DEFAULTS.sourceConnectTimeoutMs),
    sourceIdleTimeoutMs: positiveInt('SOURCE_IDLE_TIMEOUT_MS', DEFAULTS.sourceIdleTimeoutMs),
    sourceMaxBytes: positiveInt('SOURCE_MAX_BYTES', DEFAULTS.sourceMaxBytes),
    destination,
    publishMaxDropFraction,
    logLevel: logLevelRaw as LogLevel,
    worker: {
      maxConcurrentActivities: integerAtLeast(
        'WORKER_MAX_CONCURRENT_ACTIVITIES',
        1,
        DEFAULTS.workerMaxConcurrentActivities,
      ),
      maxConcurrentWorkflowTasks: integerAtLeast(
        'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
        2,
        DEFAULTS.workerMaxConcurrentWorkflowTasks,
      ),
      shutdownGraceMs: integerAtLeast('WORKER_SHUTDOWN_GRACE_MS', 0, DEFAULTS.workerShutdownGraceMs),
      metricsPrometheusAddress,
      searchAttributes: searchAttributesRaw as SearchAttributesMode,
    },
    feeds: {
      catalogue,
      maxConcurrency: positiveInt('FEEDS_MAX_CONCURRENCY', DEFAULTS.feedsMaxConcurrency),
      maxStaleMs: maxStaleMs ?? 0,
      budgetWindowMs: budgetWindowMs ?? 0,
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The dev server serves its UI on gRPC port + 1000 by default; Temporal Cloud has one UI. */
function defaultUiUrl(address: string): string | undefined {
  const match = /^(localhost|127\.0\.0\.1|\[::1\]):(\d+)$/.exec(address);
  if (match) return `http://localhost:${Number(match[2]) + 1000}`;
  if (address.endsWith('.tmprl.cloud:7233')) return 'https://cloud.temporal.io';
  return undefined;
}

/** host:port or [ipv6]:port, port 1–65535. */
function isHostPort(value: string): boolean {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(value);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65_535;
}

function definedOnly(env: Env): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) result[key] = value;
  return result;
}

/** Web UI link to one run, or undefined when the UI's address is unknown. */
export function webUiRunUrl(config: AppConfig, workflowId: string, runId?: string): string | undefined {
  const { uiUrl, namespace } = config.temporal;
  if (!uiUrl) return undefined;
  const base = `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}

/** Web UI link to a schedule, or undefined when the UI's address is unknown. */
export function webUiScheduleUrl(config: AppConfig, scheduleId: string): string | undefined {
  const { uiUrl, namespace } = config.temporal;
  return uiUrl
    ? `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/schedules/${encodeURIComponent(scheduleId)}`
    : undefined;
}

/** The effective configuration with every secret replaced, for `uk-chargers config` and start-up logs. */
export function redactedConfig(config: AppConfig): Record<string, unknown> {
  const { connectionOptions } = config.temporal.connect;
  return {
    temporal: {
      address: config.temporal.address,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      uiUrl: config.temporal.uiUrl ?? null,
      apiKey: connectionOptions.apiKey ? '<redacted>' : null,
      tls: connectionOptions.tls
        ? typeof connectionOptions.tls === 'object'
          ? 'configured (<redacted>)'
          : true
        : false,
    },
    sourceUrl: redactUrl(config.sourceUrl),
    sourceAllowedHosts: config.sourceAllowedHosts,
    sourceConnectTimeoutMs: config.sourceConnectTimeoutMs,
    sourceIdleTimeoutMs: config.sourceIdleTimeoutMs,
    sourceMaxBytes: config.sourceMaxBytes,
    destination: config.destination,
    publishMaxDropFraction: config.publishMaxDropFraction,
    logLevel: config.logLevel,
    worker: { ...config.worker, metricsPrometheusAddress: config.worker.metricsPrometheusAddress ?? null },
    // The catalogue names secrets by their variable only: nothing in it needs redacting.
    feeds: {
      file: config.feeds.catalogue.path,
      feeds: config.feeds.catalogue.feeds.length,
      maxConcurrency: config.feeds.maxConcurrency,
      maxStaleMs: config.feeds.maxStaleMs,
      budgetWindowMs: config.feeds.budgetWindowMs,
    },
  };
}
