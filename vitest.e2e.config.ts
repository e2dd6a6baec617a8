import { defineConfig } from 'vitest/config';

/** Browser journeys against a real server (started once by the global setup) in Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // One server and one browser per file; files run one after another.
    fileParallelism: false,
    testTimeout: 120_000,
    // The first start builds the web apps and seeds the demo clinic.
    hookTimeout: 200_000,
    // On CI a journey that fails once runs once more (each run makes its own customers); a pass on
    // the second try is printed as flaky by the CI summary, so it is seen and fixed, not hidden.
    retry: process.env.CI ? 1 : 0,
    reporters: ['default'],
  },
});
