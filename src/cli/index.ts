#!/usr/bin/env node
// The castore-dynamodb-counter command: main() on the process's arguments and console.
// main is loaded here, after the bin starts, so that a peer dependency the CLI cannot load
// without (@castore/core, @aws-sdk/client-dynamodb: an image installed without them) is
// said in one line rather than in Node's stack trace.
import { installAdvice, missingPackageOf } from './frame/missingPackage.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

void import('./main.js').then(
  async ({ main }) => {
    process.exitCode = await main(process.argv.slice(2));
  },
  (error: unknown) => {
    const missing = missingPackageOf(error);
    if (missing === undefined) throw error;
    console.error(
      `castore-dynamodb-counter needs the package ${missing}, which is not installed: ${installAdvice(missing)}.`,
    );
    process.exitCode = 1;
  },
);
