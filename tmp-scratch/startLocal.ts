import { startDynamoDBLocal } from '../src/dynamoDBLocal/index.js';
const local = await startDynamoDBLocal({ port: 8123 });
console.log('up', local.endpoint);
setInterval(() => undefined, 1 << 30);
