export * from './startDynamoDBLocal.js';
export { findFreePort } from './findFreePort.js';
