import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { findFreePort, startDynamoDBLocal, type DynamoDBLocal } from '../src/dynamoDBLocal/index.js';

/** A file-backed DynamoDB Local that can be killed with SIGKILL and restarted on the same data and port. */
export class KillableServer {
  private server: DynamoDBLocal | undefined;
  kills = 0;

  private constructor(
    readonly dbPath: string,
    readonly port: number,
  ) {}

  static start = async (): Promise<KillableServer> => {
    const server = new KillableServer(mkdtempSync(join(tmpdir(), 'chaos-db-')), await findFreePort());
    await server.restart();
    return server;
  };

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  restart = async (): Promise<void> => {
    // The port may take a moment to be free again after a kill.
    for (let attempt = 0; ; attempt++) {
      try {
        this.server = await startDynamoDBLocal({ dbPath: this.dbPath, port: this.port });
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
  };

  kill = async (): Promise<void> => {
    const child = this.server?.process;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
  };

  stop = async (): Promise<void> => {
    await this.server?.stop();
  };
}
