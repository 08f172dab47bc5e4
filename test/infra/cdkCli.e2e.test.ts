import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('README’s `npx cdk synth`', () => {
  it('runs with the CDK CLI the project installs, offline, and synthesizes the example app', async () => {
    const cache = join(root, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const out = mkdtempSync(join(cache, 'cdk-synth-'));
    try {
      // The bin npx would run: installed by npm ci, so nothing is downloaded.
      const cdk = join(root, 'node_modules', '.bin', 'cdk');
      expect(existsSync(cdk)).toBe(true);
      await exec(cdk, ['synth', '--quiet', '--no-notices', '-o', out], {
        cwd: root,
        env: {
          ...process.env,
          CDK_DISABLE_VERSION_CHECK: 'true',
          CDK_DISABLE_CLI_TELEMETRY: 'true',
        },
      });
      const template = readFileSync(join(out, 'CastoreCounters.template.json'), 'utf8');
      expect(template).toContain('AWS::Lambda::EventSourceMapping');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
