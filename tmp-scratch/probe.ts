import { DynamoDBClient, CreateTableCommand, UpdateItemCommand, TransactWriteItemsCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
const c = new DynamoDBClient({ endpoint: 'http://127.0.0.1:8123', region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const t = 'probe' + Date.now();
for (const name of [t, t + 'b'])
await c.send(new CreateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }));
const key = { pk: { S: 'a' }, sk: { S: 'b' } };
const up = (last: Uint8Array, first: Uint8Array) => c.send(new UpdateItemCommand({ TableName: t, Key: key, UpdateExpression: 'ADD #c :one SET #w = :last', ConditionExpression: 'attribute_not_exists(#w) OR #w < :first', ExpressionAttributeNames: { '#c': 'count', '#w': 'w:x' }, ExpressionAttributeValues: { ':one': { N: '1' }, ':last': { B: last }, ':first': { B: first } }, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' }));
const b = (...xs: number[]) => Uint8Array.from(xs);
console.log((await up(b(1, 2, 9, 9), b(1, 2))).Attributes);
try { await up(b(1, 3, 9, 9), b(1, 2)); console.log('BAD: accepted equal prefix'); } catch (e: any) { console.log('refused equal', e.name, e.Item && Object.keys(e.Item)); }
try { const r = await up(b(1, 4, 0, 0), b(1, 3)); console.log('accepted larger', r.ConsumedCapacity); } catch (e: any) { console.log('BAD refused', e.name); }
try { await up(b(1, 9), b(0x01, 0x02)); console.log('BAD accepted smaller'); } catch (e: any) { console.log('refused smaller', e.name, e.ConsumedCapacity); }
// high bytes unsigned
try { const r = await up(b(0xff, 0), b(0x80)); console.log('accepted 0x80 > 0x01..: unsigned ok'); } catch (e: any) { console.log('BAD signed?', e.name); }
// cross-table transaction with a condition failure + ReturnValuesOnConditionCheckFailure
try {
  await c.send(new TransactWriteItemsCommand({ TransactItems: [
    { Update: { TableName: t + 'b', Key: key, UpdateExpression: 'SET d = :d', ConditionExpression: 'attribute_not_exists(d) OR d < :f', ExpressionAttributeValues: { ':d': { S: '5' }, ':f': { S: '3' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    { Put: { TableName: t, Item: { pk: { S: 'A' }, sk: { S: 'x' } } } } ] }));
  console.log('tx1 ok');
  await c.send(new TransactWriteItemsCommand({ TransactItems: [
    { Update: { TableName: t + 'b', Key: key, UpdateExpression: 'SET d = :d', ConditionExpression: 'attribute_not_exists(d) OR d < :f', ExpressionAttributeValues: { ':d': { S: '6' }, ':f': { S: '3' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    { Put: { TableName: t, Item: { pk: { S: 'A' }, sk: { S: 'y' } } } } ] }));
} catch (e: any) { console.log('tx2', e.name, JSON.stringify(e.CancellationReasons)); }
// UpdateItem ALL_OLD on success
const r = await c.send(new UpdateItemCommand({ TableName: t + 'b', Key: key, UpdateExpression: 'SET d = :d', ExpressionAttributeValues: { ':d': { S: '7' } }, ReturnValues: 'ALL_OLD' }));
console.log('ALL_OLD on success', JSON.stringify(r.Attributes));
