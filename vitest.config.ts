import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources in tests (see each
    // package.json "development" export condition), so tests never need a build.
    conditions: ['development'],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    // `npm run test:slow` (ISCC_SLOW=1) runs every property 100x longer: 100,000 cases of a
    // brute-force oracle or of a file round trip can take minutes on 2 cores.
    testTimeout: process.env['ISCC_SLOW'] ? 900_000 : 60_000,
    pool: 'forks',
  },
});
