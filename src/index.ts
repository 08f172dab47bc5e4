export * from './adapter/index.js';
export { hasErrorCode, TypedError } from './shared/typedError.js';
export * from './imageParser/index.js';
export * from './counterProjection/index.js';
