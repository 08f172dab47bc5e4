export * from './adapter/index.js';
export * from './counterProjection/index.js';
export * from './imageParser/index.js';
export {
  InvalidOptionError,
  invalidOptionErrorCode,
  isInvalidOptionError,
} from './shared/options.js';
export { errorGuard, hasErrorCode, TypedError } from './shared/typedError.js';
