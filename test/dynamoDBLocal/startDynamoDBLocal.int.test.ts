import { createServer, type Server } from 'node:net';

import { describe, expect, it } from 'vitest';

import { findFreePort, startDynamoDBLocal } from '../../src/dynamoDBLocal/index.js';

// A port found free and taken by another process before the JVM binds it: a race that
// the real machine produces only by chance, so the port picker is made to lose it once.
describe('startDynamoDBLocal (its own server)', () => {
  it('starts on another free port when the one it picked was taken before the JVM bound it (port race forced)', async () => {
    const squatter: Server = createServer((socket) => socket.destroy());
    const taken = await findFreePort();
    await new Promise<void>((resolve) => squatter.listen(taken, resolve));
    const picked: number[] = [];
    try {
      const local = await startDynamoDBLocal({
        pickPort: async () => {
          const port = picked.length === 0 ? taken : await findFreePort();
          picked.push(port);
          return port;
        },
      });
      try {
        expect(picked).toHaveLength(2);
        expect(picked[0]).toBe(taken);
        expect(local.port).toBe(picked[1]);
        expect(local.endpoint).toBe(`http://127.0.0.1:${picked[1]}`);
      } finally {
        await local.stop();
      }
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
