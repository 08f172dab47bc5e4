export * from './adapter/index.js';
export { hasErrorCode, TypedError } from './shared/typedError.js';
export { InvalidOptionError, invalidOptionErrorCode } from './shared/options.js';
export * from './imageParser/index.js';
export * from './counterProjection/index.js';
