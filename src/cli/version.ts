import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'castore-dynamodb-counter';

/**
 * The version in our package.json, found from the running script upward: the same code
 * runs from src (tsx) and from dist/esm/src (the bin), at different depths, and is also
 * compiled to CommonJS, where import.meta does not exist.
 */
export const packageVersion = (script = process.argv[1]): string => {
  let folder = dirname(realpathSync(script ?? '.'));
  for (;;) {
    const candidate = join(folder, 'package.json');
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === PACKAGE_NAME && manifest.version !== undefined) return manifest.version;
    }
    const parent = dirname(folder);
    if (parent === folder) return 'unknown';
    folder = parent;
  }
};
