import { defineConfig } from 'vitest/config';

/**
 * Smoke tests against a deployed stage (`npm run test:smoke`, pipeline/buildspec-smoke.yml): kept out
 * of `npm test`, whose config only includes `test/**\/*.test.ts`.
 */
export default defineConfig({
  test: {
    include: ['test/smoke/**/*.smoke.ts'],
    testTimeout: 180_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
