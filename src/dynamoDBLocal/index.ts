export { dropTables } from './dropTables.js';
export { findFreePort } from './findFreePort.js';
export * from './startDynamoDBLocal.js';
