import { defineConfig } from 'vitest/config';

// The tiers: `npm run test:unit` (no server, seconds), `test:integration` (against DynamoDB
// Local), `test:e2e` (processes, packaging, chaos, CDK, the manual's snippets); `npm test`
// runs all three. A file's tier is in its name or folder.
const unit = ['test/**/*.unit.test.ts'];
const endToEnd = [
  'test/cli/*.test.ts',
  'test/package/*.test.ts',
  'test/reliability/chaos.test.ts',
  'test/infra/*.test.ts',
  'test/readme/*.test.ts',
];
const tempFolders = 'test/support/tempFolders.globalSetup.ts';
// Real DynamoDB calls on one shared DynamoDB Local, which slows down as the run fills it
// with tables and streams (a 5,000-event test: 13 s early in a run, 50 s late): generous,
// so that no test depends on where it falls in the run, but a hung request still fails it.
const serverTimeouts = { testTimeout: 300_000, hookTimeout: 300_000 };
const dynamoDBLocal = 'test/support/dynamoDBLocal.globalSetup.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: unit,
          globalSetup: [tempFolders],
          // Only the type tests and what they import: the whole project is `npm run typecheck`.
          typecheck: {
            enabled: true,
            include: ['test/**/*.test-d.ts'],
            tsconfig: 'tsconfig.typecheck.json',
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...unit, ...endToEnd],
          globalSetup: [tempFolders, dynamoDBLocal],
          ...serverTimeouts,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: endToEnd,
          exclude: unit,
          globalSetup: [tempFolders, dynamoDBLocal],
          ...serverTimeouts,
        },
      },
    ],
  },
});
