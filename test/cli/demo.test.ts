import { describe, expect, it } from 'vitest';

import { runCli } from '../support/cli.js';

describe('castore-dynamodb-counter demo', () => {
  it('runs the whole pipeline on its own DynamoDB Local and every count matches what was pushed', async () => {
    const { code, stdout, stderr } = await runCli(['demo', '--events', '2000']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^2000 events pushed and counted in [\d.]+ s: \d+ events\/s end to end\.$/m);
    const rows = stdout.split('\n').filter((line) => /^│ \w+ +│/.test(line) && !line.includes('counter'));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const [, , , counted, pushed, check] = row.split('│').map((cell) => cell.trim());
      expect(check).toBe('ok');
      expect(counted).toBe(pushed);
    }
    expect(stdout).toContain(`All ${rows.length} counts equal what was pushed.`);
  });
});
