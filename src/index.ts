export * from './adapter/index.js';
export * from './counterProjection/index.js';
export * from './counterReactions/index.js';
export * from './imageParser/index.js';
export type { CreateTableOptions } from './shared/createTableAndWait.js';
export {
  InvalidOptionError,
  invalidOptionErrorCode,
  isInvalidOptionError,
} from './shared/options.js';
export { errorGuard, hasErrorCode, TypedError } from './shared/typedError.js';
export {
  isTableMismatchError,
  TableMismatchError,
  tableMismatchErrorCode,
} from './shared/verifyTable.js';
