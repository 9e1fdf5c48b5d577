import { defineConfig } from 'vitest/config';

// One vitest setup for every package: node environment, generous timeouts for tests that
// spawn servers, and a temporary HOME so no test can touch the user's sf state.
export function sharedConfig(overrides: { testTimeout?: number } = {}) {
  return defineConfig({
    test: {
      environment: 'node',
      include: ['test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 60_000,
      hookTimeout: 60_000,
      setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
      pool: 'forks',
    },
  });
}
