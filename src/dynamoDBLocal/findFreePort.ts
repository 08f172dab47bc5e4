import { createServer } from 'node:net';

/** DynamoDB Local refuses port 0, so ask the OS for a free port and hand it over. */
export const findFreePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() =>
        port === undefined ? reject(new Error('no port assigned')) : resolve(port),
      );
    });
  });

/**
 * Whether nothing listens on the port. Checked before DynamoDB Local starts on a port the
 * user chose: if another server (say, their own DynamoDB Local) holds it, ours fails to
 * bind, yet the other one answers the readiness probe and would be used in its place.
 */
export const isPortFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
