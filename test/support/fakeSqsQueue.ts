import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake SQS queue (SQS cannot run here): an HTTP server speaking the SQS JSON protocol for
 * the calls a drain makes (ReceiveMessage, DeleteMessage, ChangeMessageVisibility), so that
 * a real SQSClient, in the test or in the CLI as a child process, talks to it through the
 * queue URL. Visibility timeouts and receipt handles behave as SQS documents them; an empty
 * receive answers at once instead of long polling.
 */
export interface FakeQueueMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  receiptHandle: string | undefined;
  visibleAtMs: number;
}

export class FakeSqsQueue {
  readonly messages: FakeQueueMessage[] = [];
  /** Every call, in order (its action and, for a message, its id). */
  readonly calls: { action: string; messageId?: string | undefined }[] = [];
  url = '';
  private readonly server = createServer((request, response) => {
    void this.answer(request, response);
  });

  static async start(): Promise<FakeSqsQueue> {
    const queue = new FakeSqsQueue();
    await new Promise<void>((resolve) => queue.server.listen(0, '127.0.0.1', resolve));
    const { port } = queue.server.address() as AddressInfo;
    queue.url = `http://127.0.0.1:${port}/123456789012/counts-dlq`;
    return queue;
  }

  /** What SendMessage (Lambda's on-failure destination) would add. */
  send(body: string): string {
    const messageId = randomUUID();
    this.messages.push({
      messageId,
      body,
      receiveCount: 0,
      receiptHandle: undefined,
      visibleAtMs: 0,
    });
    return messageId;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
      string,
      unknown
    >;
    const action = String(request.headers['x-amz-target'] ?? '').replace('AmazonSQS.', '');
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(body));
    };
    if (input.QueueUrl !== this.url) {
      reply(400, {
        __type: 'com.amazonaws.sqs#QueueDoesNotExist',
        message: 'The specified queue does not exist.',
      });
      return;
    }
    const outcome = this.act(action, input);
    if ('error' in outcome)
      reply(400, { __type: `com.amazonaws.sqs#${outcome.error}`, message: outcome.error });
    else reply(200, outcome.body);
  }

  private act(
    action: string,
    input: Record<string, unknown>,
  ): { body: unknown } | { error: string } {
    if (action === 'ReceiveMessage') return { body: this.receive(input) };
    const message = this.messages.find(
      ({ receiptHandle }) => receiptHandle === input.ReceiptHandle,
    );
    this.calls.push({ action, messageId: message?.messageId });
    if (message === undefined) return { error: 'ReceiptHandleIsInvalid' };
    if (action === 'DeleteMessage') this.messages.splice(this.messages.indexOf(message), 1);
    else if (action === 'ChangeMessageVisibility')
      message.visibleAtMs = Date.now() + Number(input.VisibilityTimeout) * 1000;
    else return { error: 'UnsupportedOperation' };
    return { body: {} };
  }

  private receive(input: Record<string, unknown>) {
    const now = Date.now();
    const max = Number(input.MaxNumberOfMessages ?? 1);
    const visible = this.messages.filter(({ visibleAtMs }) => visibleAtMs <= now).slice(0, max);
    for (const message of visible) {
      message.receiveCount += 1;
      // A new handle on each receive: only the latest deletes the message.
      message.receiptHandle = randomUUID();
      message.visibleAtMs = now + Number(input.VisibilityTimeout ?? 30) * 1000;
      this.calls.push({ action: 'ReceiveMessage', messageId: message.messageId });
    }
    if (visible.length === 0) this.calls.push({ action: 'ReceiveMessage' });
    return {
      Messages: visible.map(({ messageId, body, receiptHandle }) => ({
        MessageId: messageId,
        ReceiptHandle: receiptHandle,
        MD5OfBody: createHash('md5').update(body).digest('hex'),
        Body: body,
      })),
    };
  }
}
