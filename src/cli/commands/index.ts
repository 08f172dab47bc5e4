import type { AnyCliCommand } from '../command.js';
import { countSetAside } from './countSetAside.js';
import { countsGet } from './countsGet.js';
import { countsList } from './countsList.js';
import { demo } from './demo.js';
import { rebuild } from './rebuild.js';
import { replay } from './replay.js';
import { run } from './run.js';
import { status } from './status.js';
import { tablesCreate } from './tablesCreate.js';
import { verify } from './verify.js';

/**
 * Every command, in the order `--help` lists them: each is a file of this folder, and
 * adding one is adding its file and its line here.
 */
export const commands: readonly AnyCliCommand[] = [
  demo,
  tablesCreate,
  run,
  status,
  replay,
  countSetAside,
  rebuild,
  verify,
  countsGet,
  countsList,
] as readonly AnyCliCommand[];
