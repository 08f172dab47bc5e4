export * from './adapter/index.js';
export * from './counterProjection/index.js';
export * from './imageParser/index.js';
export { InvalidOptionError, invalidOptionErrorCode } from './shared/options.js';
export { hasErrorCode, TypedError } from './shared/typedError.js';
