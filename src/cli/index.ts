#!/usr/bin/env node
// The castore-dynamodb-counter command: main() on the process's arguments and console.
import { main } from './main.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

void main(process.argv.slice(2)).then((exitCode) => {
  process.exitCode = exitCode;
});
