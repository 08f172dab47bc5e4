import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of DynamoDB Local, so that a kill can first cut every client off
 * as the server's death would (clients see their connections reset, then refused), and
 * only then kill the server: see KillableServer for why.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  open = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const server = createServer((client) => {
        const upstream = connect(this.targetPort, '127.0.0.1');
        for (const socket of [client, upstream]) {
          this.sockets.add(socket);
          socket.once('close', () => this.sockets.delete(socket));
          socket.once('error', () => undefined); // the other side is destroyed below
        }
        const destroyBoth = () => {
          client.destroy();
          upstream.destroy();
        };
        client.once('close', destroyBoth);
        upstream.once('close', destroyBoth);
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.server = server;
        resolve();
      });
    });

  /** Stops accepting connections and resets every open one. */
  cut = async (): Promise<void> => {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) =>
      server === undefined ? resolve() : server.close(() => resolve()),
    );
    for (const socket of this.sockets) socket.destroy();
    await closed;
  };
}
