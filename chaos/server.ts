import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

import {
  type DynamoDBLocal,
  findFreePort,
  startDynamoDBLocal,
} from '../src/dynamoDBLocal/index.js';
import { TcpProxy } from './tcpProxy.js';

const DRAIN_TABLE = 'chaos-drain';

/**
 * A file-backed DynamoDB Local that can be killed with SIGKILL and restarted on the same
 * data, behind a proxy whose port (the endpoint clients use) never changes.
 *
 * DynamoDB Local answers a TransactWriteItems before its SQLite commit has run (a PutItem
 * waits for its own): a SIGKILL within milliseconds of the answer loses an acknowledged
 * transaction, a fault of the server that AWS does not have (../shared notes, measured).
 * So a kill first cuts every client off, then sends one write straight to the server and
 * waits for it (its SQLite queue runs in order: every earlier commit is then on disk), and
 * only then SIGKILLs it. What the kill tests is then what it means to test: every write a
 * client saw acknowledged survives, and an outcome the client never saw may go either way.
 */
export class KillableServer {
  private server: DynamoDBLocal | undefined;
  private direct: DynamoDBClient | undefined;
  kills = 0;

  private constructor(
    readonly dbPath: string,
    readonly serverPort: number,
    private readonly proxy: TcpProxy,
  ) {}

  static start = async (): Promise<KillableServer> => {
    const [serverPort, proxyPort] = [await findFreePort(), await findFreePort()];
    const server = new KillableServer(
      mkdtempSync(join(tmpdir(), 'chaos-db-')),
      serverPort,
      new TcpProxy(proxyPort, serverPort),
    );
    try {
      await server.restart();
    } catch (error) {
      await server.stop(); // its database folder too, which nothing would remove otherwise
      throw error;
    }
    await server.directClient().send(
      new CreateTableCommand({
        TableName: DRAIN_TABLE,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    return server;
  };

  get endpoint(): string {
    return `http://127.0.0.1:${this.proxy.port}`;
  }

  private directClient = (): DynamoDBClient => {
    this.direct ??= new DynamoDBClient({
      endpoint: `http://127.0.0.1:${this.serverPort}`,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    return this.direct;
  };

  restart = async (): Promise<void> => {
    // The port may take a moment to be free again after a kill.
    for (let attempt = 0; ; attempt++) {
      try {
        this.server = await startDynamoDBLocal({ dbPath: this.dbPath, port: this.serverPort });
        break;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
    await this.proxy.open();
  };

  kill = async (): Promise<void> => {
    const child = this.server?.process;
    if (child === undefined || child.exitCode !== null) return;
    await this.proxy.cut();
    await this.directClient().send(
      new PutItemCommand({
        TableName: DRAIN_TABLE,
        Item: { pk: { S: 'drain' }, kills: { N: String(this.kills) } },
      }),
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
  };

  stop = async (): Promise<void> => {
    await this.proxy.cut();
    this.direct?.destroy();
    await this.server?.stop();
    rmSync(this.dbPath, { recursive: true, force: true });
  };
}
