import { loadForCommand } from './loadForCommand.js';

/*
 * The library's modules that load an optional peer, loaded by the command that runs, not
 * when the CLI starts: a missing peer is then said in one line, naming that command.
 */

/** The stream runner: @aws-sdk/client-dynamodb-streams. */
export const streamRunnerModule = (command: string) =>
  loadForCommand(command, () => import('../../streamRunner/index.js'));

/** The example's event stores and counters (the demo's): @castore/event-type-json-schema. */
export const exampleModule = (command: string) =>
  loadForCommand(command, () => import('../../example/index.js'));
