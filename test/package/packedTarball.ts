import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const cache = join(root, 'node_modules', '.cache', 'packed-tarball');

/** What the tarball is made of: the build's inputs and the files `npm pack` adds. */
const INPUTS = ['src', 'infra', 'scripts'];
const FILES = [
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.cjs.json',
  'README.md',
  'LICENSE',
];

/**
 * The package as `npm pack` makes it (built as `npm run build` builds it), built once for
 * all the test files that install it (the consumer project, the service's image), which may
 * run at once in several workers: kept in node_modules/.cache under a hash of its inputs,
 * built by the first file that asks while the others wait. Resolves to the tarball's path.
 */
export const packedTarball = async (): Promise<string> => {
  const folder = join(cache, inputsHash());
  const lock = `${folder}.lock`;
  mkdirSync(cache, { recursive: true });
  for (;;) {
    const packed = tarballIn(folder);
    if (packed !== undefined) return packed;
    if (takeLock(lock)) {
      try {
        return tarballIn(folder) ?? (await build(folder));
      } catch (error) {
        rmSync(`${folder}.building`, { recursive: true, force: true });
        // tsc says what failed on stdout, which execFile's message leaves out.
        const { stdout } = error as { stdout?: string };
        throw new Error(`packing the package failed: ${String(error)}${stdout ?? ''}`, {
          cause: error,
        });
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

const tarballIn = (folder: string): string | undefined => {
  const name = existsSync(folder)
    ? readdirSync(folder).find((file) => file.endsWith('.tgz'))
    : undefined;
  return name === undefined ? undefined : join(folder, name);
};

/** mkdir is atomic: the one that makes the lock builds. A lock whose process died is removed. */
const takeLock = (lock: string): boolean => {
  try {
    mkdirSync(lock);
  } catch {
    removeIfDead(lock);
    return false;
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  return true;
};

const removeIfDead = (lock: string) => {
  let holder = 0;
  let age = 0;
  try {
    age = Date.now() - statSync(lock).mtimeMs;
    holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // Removed meanwhile, or made a moment ago and its pid not written yet.
  }
  if (holder > 0 ? isAlive(holder) : age < 10_000) return;
  rmSync(lock, { recursive: true, force: true });
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The package folder the tarball was packed from (`dist/esm`, `dist/cjs`, package.json),
 * inside the project, so that it resolves its dependencies as an installed package would:
 * the build test loads it, rather than building it again.
 */
export const builtPackage = async (): Promise<string> =>
  join(dirname(await packedTarball()), 'package');

/** Both builds of `npm run build`, then `npm pack`, in a folder renamed to `folder` when whole. */
const build = async (folder: string): Promise<string> => {
  const building = `${folder}.building`;
  rmSync(building, { recursive: true, force: true });
  const packageDir = join(building, 'package');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // A worktree whose node_modules links to another tree's: tsc would resolve packages to
  // their real paths, outside this tree, and refuse to name their types (TS2742).
  const linked = lstatSync(join(root, 'node_modules')).isSymbolicLink()
    ? ['--preserveSymlinks']
    : [];
  for (const [config, out] of [
    ['tsconfig.build.json', 'esm'],
    ['tsconfig.cjs.json', 'cjs'],
  ] as const)
    await exec(
      process.execPath,
      [tsc, '-p', config, ...linked, '--outDir', join(packageDir, 'dist', out)],
      { cwd: root },
    );
  // What scripts/markCjs.js does for dist/cjs.
  writeFileSync(join(packageDir, 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  for (const file of ['package.json', 'README.md', 'LICENSE'])
    copyFileSync(join(root, file), join(packageDir, file));
  const { stdout } = await exec('npm', ['pack', '--silent', '--pack-destination', building], {
    cwd: packageDir,
  });
  // The built package stays beside its tarball: the build test loads it (builtPackage).
  renameSync(building, folder);
  pruneOthers(folder);
  return join(folder, stdout.trim());
};

/** Tarballs of other sources (older commits, other worktrees sharing node_modules) left for a day. */
const pruneOthers = (kept: string) => {
  for (const name of readdirSync(cache)) {
    const path = join(cache, name);
    if (path !== kept && Date.now() - statSync(path).mtimeMs > 86_400_000)
      rmSync(path, { recursive: true, force: true });
  }
};

/** The inputs' paths and contents, and the compiler's version. */
const inputsHash = (): string => {
  const hash = createHash('sha256');
  const files = [...FILES, ...INPUTS.flatMap((folder) => filesUnder(join(root, folder)))];
  for (const file of files.sort()) hash.update(`${file}\0`).update(readFileSync(join(root, file)));
  hash.update(readFileSync(join(root, 'node_modules', 'typescript', 'package.json')));
  return hash.digest('hex').slice(0, 16);
};

const filesUnder = (folder: string): string[] =>
  readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
