import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 60_000,
          // Keeps SDK and Node warnings out of the output, to show them under a failing test only.
          setupFiles: ['test/support/capturedLogs.ts', 'test/support/requireTypeScript.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Builds the Temporal CLI and MinIO with Go on first use, then starts one of each for the suite.
          globalSetup: ['test/globalSetup.ts'],
          // Keeps worker, SDK and Node logs out of the output, to show them under a failing test only.
          setupFiles: [
            'test/support/capturedLogs.ts',
            'test/support/capturedTemporalLogs.ts',
            'test/support/requireTypeScript.ts',
          ],
          testTimeout: 180_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
