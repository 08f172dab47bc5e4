export { findFreePort } from './findFreePort.js';
export * from './startDynamoDBLocal.js';
