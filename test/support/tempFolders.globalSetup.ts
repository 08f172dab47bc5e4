import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * Fails the run when the tests leave temp folders behind (each test removes what it makes).
 * An error thrown by a teardown is printed but does not fail the run: the exit code is set.
 */
export default function setup() {
  const before = new Set(ourTempFolders());
  return () => {
    const left = ourTempFolders().filter((name) => !before.has(name));
    if (left.length === 0) return;
    console.error(
      `The tests left folders in ${tmpdir()}: ${left.join(', ')}; remove them where they are made.`,
    );
    process.exitCode = 1;
  };
}

/** The temp folders our tests and CDK make (mkdtemp prefixes), to check none is left behind. */
const ourTempFolders = (): string[] =>
  readdirSync(tmpdir()).filter((name) =>
    /^(cdk\.out|chaos-db-|counters-|empty-path-|consumer-|image-|aws-config-|service-|floors-)/.test(
      name,
    ),
  );
