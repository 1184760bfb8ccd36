import { Runtime } from '@temporalio/worker';
import { jsonLogger } from '../../src/logging';
import { captureLine } from './capturedLogs';

/**
 * Setup file of the integration project, after capturedLogs.ts: in-process
 * workers and connections log through the process-wide Temporal runtime,
 * installed here before any test file creates one, into the test's captured
 * logs. `forward` routes the SDK core's own warnings there too instead of stderr.
 */
Runtime.install({
  logger: jsonLogger('info', (line) => captureLine('temporal', line)),
  telemetryOptions: { logging: { forward: {} } },
});
