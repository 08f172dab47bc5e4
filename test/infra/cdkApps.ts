import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { App, Validations } from 'aws-cdk-lib';
import { afterAll } from 'vitest';

const cache = fileURLToPath(new URL('../../node_modules/.cache', import.meta.url));

/**
 * New CDK apps for a test file: synthesis writes a cloud assembly, into a folder of the
 * file's (removed after it) rather than the cdk.out* folders CDK would leave in the system's
 * temp dir. Bundling is skipped unless `bundle` (one test bundles the example for real).
 */
export const useCdkApps = (prefix: string) => {
  mkdirSync(cache, { recursive: true });
  const assemblies = mkdtempSync(join(cache, `${prefix}-`));
  afterAll(() => {
    rmSync(assemblies, { recursive: true, force: true });
  });
  let made = 0;
  return ({ bundle = false }: { bundle?: boolean } = {}): App =>
    new App({
      outdir: join(assemblies, String(made++)),
      ...(bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } }),
    });
};

/** The cdk-nag findings acknowledged in an app: each rule's id and the reason written for it. */
export const acknowledgedFindings = (app: App): { id: string; reason: string }[] =>
  app.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata.filter(
        (entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
      ),
    )
    .flatMap((entry) =>
      Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
        id,
        reason,
      })),
    );
