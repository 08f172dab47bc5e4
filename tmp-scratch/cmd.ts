import { UpdateItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
const N = 100000;
let s = process.cpuUsage();
for (let i = 0; i < N; i++) new UpdateItemCommand({ TableName: 't', Key: {} });
let u = process.cpuUsage(s); console.log('new UpdateItemCommand', ((u.user+u.system)/N).toFixed(2), 'us');
s = process.cpuUsage();
for (let i = 0; i < N; i++) ({ TableName: 't', Key: {} });
u = process.cpuUsage(s); console.log('object', ((u.user+u.system)/N).toFixed(3), 'us');
