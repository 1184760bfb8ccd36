/**
 * Every default the service falls back to, in one table: the configuration
 * (src/config.ts, which also shows them in `uk-chargers config` and the
 * README's settings table) and the modules that can be used without it.
 */
export const DEFAULTS = {
  sourceUrl: 'https://chargepoints.dft.gov.uk/api/retrieve/registry/format/json',
  /** Time to wait for a response's headers. */
  sourceConnectTimeoutMs: 30_000,
  /** Longest pause between two chunks of a body. */
  sourceIdleTimeoutMs: 60_000,
  /** 2 GiB: far above the registry's size today, low enough to stop a runaway body. */
  sourceMaxBytes: 2 * 1024 ** 3,
  userAgent: 'uk-chargers',
  destination: 'file:./output',
  publishMaxDropFraction: 0.3,
  taskQueue: 'uk-chargers',
  temporalAddress: 'localhost:7233',
  namespace: 'default',
  logLevel: 'info',
  workerMaxConcurrentActivities: 10,
  workerMaxConcurrentWorkflowTasks: 10,
  workerShutdownGraceMs: 60_000,
  /** The catalogue shipped in the package (src/feeds/catalogue.ts finds it). */
  feedsFile: 'feeds/uk-operators.yaml',
  /** Feeds fetched at once by one charge-points run. */
  feedsMaxConcurrency: 8,
  /** The oldest snapshot of a failing feed that may still stand in for it. */
  feedMaxStale: '7d',
  /** The period a feed's maxRequestsPerHour counts in. */
  feedBudgetWindow: '1h',
  /** Least gap between two requests to one feed host, when the catalogue does not say. */
  feedMinIntervalMs: 1_000,
} as const;
