import { defineConfig } from 'vitest/config';

// The tiers, each in the test file's name (test/lint/layout.unit.test.ts refuses a test
// file without one): `npm run test:unit` (`*.unit.test.ts` and the type tests: pure code, no
// server), `test:synth` (`*.synth.test.ts`: CDK stacks synthesized, checked as templates),
// `test:integration` (`*.int.test.ts`: against DynamoDB Local), `test:e2e` (`*.e2e.test.ts`:
// processes, packaging, chaos, the CDK CLI, the manual's snippets); `npm test` runs them all
// side by side, and prints each tier's time at the end.
const tempFolders = 'test/support/tempFolders.globalSetup.ts';
// Real DynamoDB calls on a DynamoDB Local per worker, which slows down as the run fills it
// with stream records (dynamoDBLocal.globalSetup.ts says why): generous, so that no test
// depends on where it falls in the run or on the machine's load, but a hung request still
// fails it.
const serverTimeouts = { testTimeout: 300_000, hookTimeout: 300_000 };
const dynamoDBLocal = 'test/support/dynamoDBLocal.globalSetup.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Four files at once on two cores: the tests mostly wait on DynamoDB Local (a process of
    // its own), on child processes and on backoffs, and vitest's default here is one.
    maxWorkers: 4,
    // Each tier's time at the end of the run (tierTimes.reporter.ts), so that growth is seen.
    reporters: ['default', './test/support/tierTimes.reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // One process per worker for all its files (each module imported once: a third of
          // the tier's time): a test stubs the environment (vi.stubEnv), never assigns it.
          isolate: false,
          unstubEnvs: true,
          include: ['test/**/*.unit.test.ts'],
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
          name: 'synth',
          include: ['test/**/*.synth.test.ts'],
          globalSetup: [tempFolders],
          // aws-cdk-lib imported once per worker, not once per file.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          // As unit: each worker imports the SDK and the library once, not once per file
          // (import time 243 s -> 132 s of the workers' time); each file makes its own tables
          // and clients (useDynamoDB) and stubs, never assigns, the environment.
          isolate: false,
          unstubEnvs: true,
          globalSetup: [tempFolders, dynamoDBLocal],
          ...serverTimeouts,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          // Likewise (aws-cdk-lib, the SDK); what these files run apart runs as child processes.
          isolate: false,
          unstubEnvs: true,
          globalSetup: [tempFolders, dynamoDBLocal],
          ...serverTimeouts,
        },
      },
    ],
  },
});
