import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Message, ReceiveMessageCommandOutput } from '@aws-sdk/client-sqs';

import {
  type DrainOptions,
  type DrainOutcome,
  type DrainResult,
  type DrainStop,
  replayForDrain,
  type SendingClient,
  sendWith,
  stopAt,
} from './drainReplay.js';

/** Your SQSClient (@aws-sdk/client-sqs, an optional peer: see SendingClient). */
export type SqsClientLike = SendingClient;

export interface DrainDeadLetterQueueOptions extends DrainOptions {
  /** An SQSClient of @aws-sdk/client-sqs. */
  sqsClient: SqsClientLike;
  /** The mapping's on-failure queue. */
  queueUrl: string;
  streamsClient: DynamoDBStreamsClient;
  /** Stop after this many messages (default: until the queue answers empty). */
  maxMessages?: number;
  /** Long polling of each receive (default 2 s): how long an empty queue is waited on before the drain ends. */
  waitTimeSeconds?: number;
  /** How long a received message stays hidden from other readers while it is replayed (default 300 s). */
  visibilityTimeoutSeconds?: number;
  onMessage?: (outcome: DrainOutcome<{ messageId: string }>) => void;
}

type Sqs = typeof import('@aws-sdk/client-sqs');

/**
 * Drains the on-failure queue of a stream's mapping message by message: replays each
 * message's records (replayDeadLetter) and deletes the message only once every one of them
 * was counted. It stops at the first message it cannot recover (still failing, records past
 * the retention, not a dead letter) and makes that one visible again at once, so that the
 * queue keeps it for the operator. Counting is exactly once: a message received twice (a
 * drain interrupted before its delete) counts nothing twice.
 */
export const drainDeadLetterQueue = async (
  options: DrainDeadLetterQueueOptions,
): Promise<DrainResult> => {
  // Loaded here, not at the top: the stream-runner entry must load without this optional peer.
  const sqs = await import('@aws-sdk/client-sqs');
  const { queueUrl, maxMessages = Number.POSITIVE_INFINITY } = options;
  const result: DrainResult = { deleted: 0, replayed: 0, stoppedAt: undefined };
  for (let received = 0; received < maxMessages; received += 1) {
    const { Messages: messages = [] } = await sendWith<ReceiveMessageCommandOutput>(
      options.sqsClient,
      new sqs.ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: options.waitTimeSeconds ?? 2,
        VisibilityTimeout: options.visibilityTimeoutSeconds ?? 300,
      }),
    );
    const message = messages[0];
    if (message === undefined) return result;
    result.stoppedAt = await handleMessage(sqs, message, options, result);
    if (result.stoppedAt !== undefined) return result;
  }
  return result;
};

/** One message replayed, then deleted or, when it cannot be recovered, released: what stops the drain. */
const handleMessage = async (
  sqs: Sqs,
  message: Message,
  options: DrainDeadLetterQueueOptions,
  result: DrainResult,
): Promise<DrainStop | undefined> => {
  const { queueUrl, streamsClient, handler, filter, streamArn, onMessage } = options;
  const messageId = message.MessageId ?? '';
  const release = () =>
    sendWith(
      options.sqsClient,
      new sqs.ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
  const step = await replayForDrain({
    streamsClient,
    handler,
    deadLetter: message.Body ?? '',
    ...(filter !== undefined ? { filter } : {}),
    ...(streamArn !== undefined ? { streamArn } : {}),
  }).catch(async (error: unknown) => {
    await release();
    throw error;
  });
  if (!step.done) {
    await release();
    if (step.replay !== undefined) onMessage?.({ messageId, replay: step.replay, deleted: false });
    return stopAt(step.stop, { messageId });
  }
  const { replay } = step;
  await sendWith(
    options.sqsClient,
    new sqs.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
  );
  result.deleted += 1;
  result.replayed += replay.replayed;
  onMessage?.({ messageId, replay, deleted: true });
  return undefined;
};
