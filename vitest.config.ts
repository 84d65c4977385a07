import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'web/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One local cloud per run for the files that only need a running one, started on first demand
    // (test/helpers/local-cloud.ts says how a file chooses it or its own).
    globalSetup: ['test/helpers/shared-cloud-setup.ts'],
    // The wall time, last (buildspec.yml lists it too: --reporter flags replace this list).
    reporters: ['default', './test/helpers/wall-time-reporter.ts'],
    env: {
      POWERTOOLS_DEV: 'false',
      WEB_ORIGIN: 'http://127.0.0.1:4500',
      POWERTOOLS_TRACE_ENABLED: 'false',
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
