import { defineConfig } from 'vitest/config';

// The browser suite: real Chromium (playwright-core) against a real server on port 0.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
