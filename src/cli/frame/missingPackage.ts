import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Node's own modules only: the bin loads this before the CLI, to say which peer dependency
// it lacks (@castore/core, @aws-sdk/client-dynamodb, which the rest of src imports).

/** The package an import could not find, from Node's ERR_MODULE_NOT_FOUND; undefined for any other error. */
export const missingPackageOf = (error: unknown): string | undefined => {
  if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  const message = error instanceof Error ? error.message : String(error);
  return /Cannot find package '((?:@[^/']+\/)?[^/']+)/.exec(message)?.[1];
};

/**
 * How to install a package that is missing, in a clause: `npm install` adds it to
 * `dependencies`, but leaves one that the working directory's package.json lists among
 * `devDependencies` there, where `npm ci --omit=dev` (a container image's install) leaves
 * it out: that one is to be moved.
 */
export const installAdvice = (name: string): string =>
  isDevDependency(name)
    ? `it is among package.json's devDependencies, which \`npm ci --omit=dev\` (an image's install) leaves out; move it to dependencies with \`npm install --save-prod ${name}\``
    : `install it with \`npm install ${name}\``;

const isDevDependency = (name: string): boolean => {
  try {
    const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
      dependencies?: Record<string, unknown>;
      devDependencies?: Record<string, unknown>;
    };
    return (
      manifest.devDependencies?.[name] !== undefined && manifest.dependencies?.[name] === undefined
    );
  } catch {
    return false; // no package.json here, or not JSON: nothing to say about it
  }
};
