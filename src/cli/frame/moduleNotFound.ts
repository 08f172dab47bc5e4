import { type Dirent, existsSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';

import { errorMessageOf } from '../../shared/index.js';
import { installAdvice, missingPackageOf } from './missingPackage.js';

/*
 * What a counters module's image lacks, said in one line with the fix: the module where
 * --counters (CounterProjectionService's countersModule) says, a package it imports (left
 * out by `npm ci --omit=dev`), a file it imports.
 */

/** No file at --counters: where it was looked for, and a file of that name nearby, if any. */
export const noModuleAt = (path: string): string => {
  const cwd = process.cwd();
  const where = isAbsolute(path)
    ? path
    : `${path} (--counters is resolved against the working directory, ${cwd})`;
  const nearby = sameNameNearby(resolve(path), cwd);
  if (nearby !== undefined)
    return `No counters module at ${where}, but there is ${relative(cwd, nearby)}: give --counters (CounterProjectionService's countersModule) the path your build writes, or make the build write this one (tsconfig's rootDir and outDir).`;
  return `No counters module at ${where}: build it first (e.g. \`npm run build\`); in a container image, copy the build's output there (e.g. \`COPY dist ./dist\`) and give CounterProjectionService's countersModule the path the build writes.`;
};

/** A package or a file that the module (or one it imports) imports, not found; undefined for any other error. */
export const importNotFound = (path: string, error: unknown): string | undefined => {
  if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  const message = errorMessageOf(error).split('\n')[0] ?? '';
  const importer = / imported from (.+)$/.exec(message)?.[1];
  const from =
    importer === undefined || importer === resolve(path)
      ? ''
      : ` (from ${relative(process.cwd(), importer)})`;
  const missingPackage = missingPackageOf(error);
  if (missingPackage !== undefined)
    return `The counters module ${path} imports the package ${missingPackage}${from}, which is not installed: ${installAdvice(missingPackage)}.`;
  const missingFile = /Cannot find module '([^']+)'/.exec(message)?.[1];
  if (missingFile === undefined) return undefined;
  const file = relative(process.cwd(), missingFile);
  const withJs = existsSync(`${missingFile}.js`)
    ? `: Node needs the file's extension in an import (${basename(missingFile)}.js), as tsconfig's module NodeNext does`
    : `: the image must hold the whole build's output, not only ${path}`;
  return `The counters module ${path} imports ${file}${from}, which does not exist${withJs}.`;
};

/**
 * A file named as `file` under the path's first folder (or the working directory when that
 * does not exist), down to 3 levels, not in node_modules: the build's layout differs from the
 * path given (dist/src/counters.js for dist/counters.js). Only within the working directory:
 * a wrong absolute path elsewhere scans nothing.
 */
const sameNameNearby = (file: string, cwd: string): string | undefined => {
  const inCwd = relative(cwd, file);
  if (inCwd.startsWith('..') || isAbsolute(inCwd)) return undefined;
  const top = join(cwd, inCwd.split(sep)[0] ?? '');
  return findFile(top !== file && existsSync(top) ? top : cwd, basename(file), 3);
};

const findFile = (folder: string, name: string, depth: number): string | undefined => {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return undefined; // not ours to read: nothing to suggest from there
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  if (entries.some((entry) => entry.isFile() && entry.name === name)) return join(folder, name);
  if (depth === 0) return undefined;
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.'))
      continue;
    const found = findFile(join(folder, entry.name), name, depth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
};
