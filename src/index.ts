export * from './adapter/index.js';
export { hasErrorCode, TypedError } from './shared/typedError.js';
