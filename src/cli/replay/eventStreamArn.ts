import { streamRunnerModule } from '../frame/optionalModules.js';
import type { Connection } from '../frame/withConnection.js';

export interface ReplayStreamOptions {
  /** The event table whose stream the projection reads: a message of another stream is refused. */
  eventTable?: string;
}

/**
 * The stream a replayed message must come from, when `--event-table` names it: a message
 * of the counts table's stream (the reactions') would otherwise be read through the
 * projection's filter and its records never reacted to.
 */
export const eventStreamArn = async (
  connection: Connection,
  { eventTable }: ReplayStreamOptions,
): Promise<{ streamArn?: string }> => {
  if (eventTable === undefined) return {};
  const { resolveStreamArn } = await streamRunnerModule('replay');
  return { streamArn: await resolveStreamArn(connection.dynamoDBClient, eventTable) };
};
