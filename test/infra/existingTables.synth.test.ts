import { fileURLToPath } from 'node:url';

import { type App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';

import {
  CounterProjectionPipeline,
  type CounterProjectionPipelineProps,
} from '../../infra/index.js';
import { UNKNOWN_EVENT_STORES_ENV } from '../../src/counterProjection/index.js';
import { useCdkApps } from './cdkApps.js';
import { grantsOf, keyGrantsOf } from './grantsOf.js';
import { synthRefusal } from './synthRefusal.js';

const entry = (file: string) =>
  fileURLToPath(new URL(`../../infra/example/${file}`, import.meta.url));
const newApp = useCdkApps('cdk-existing');
const reactions = { handlerEntry: entry('reactionsHandler.ts') };

const EVENTS_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders-events';
const EVENTS_STREAM_ARN = `${EVENTS_ARN}/stream/2026-01-01T00:00:00.000`;

/** A stack of an app that already has its tables, and a pipeline added to it. */
const inApp = (app: App = newApp()) => {
  const stack = new Stack(app, `App${app.node.children.length}`);
  const pipeline = (id: string, props: Partial<CounterProjectionPipelineProps>) =>
    new CounterProjectionPipeline(stack, id, { handlerEntry: entry('handler.ts'), ...props });
  const roleOf = (p: CounterProjectionPipeline) =>
    stack.getLogicalId(p.projectionFunction.role?.node.defaultChild as never);
  return { app, stack, pipeline, roleOf };
};

/** A table another stack of the app made, with the stream view type given (none: no stream). */
const tableOfAnotherStack = (app: App, stream: StreamViewType | undefined) =>
  new Table(new Stack(app, `Tables${app.node.children.length}`), 'Events', {
    partitionKey: { name: 'aggregateId', type: AttributeType.STRING },
    sortKey: { name: 'version', type: AttributeType.NUMBER },
    ...(stream !== undefined ? { stream } : {}),
  });

describe('CounterProjectionPipeline on tables that already exist', () => {
  it('maps an imported event table’s stream, creates no event table, and grants nothing on the table itself', () => {
    const { stack, pipeline, roleOf } = inApp();
    const eventTable = Table.fromTableAttributes(stack, 'Events', {
      tableArn: EVENTS_ARN,
      tableStreamArn: EVENTS_STREAM_ARN,
    });
    const counters = pipeline('Counters', { eventTable });
    const template = Template.fromStack(stack);
    expect(counters.eventTable).toBe(eventTable);
    // Only the counts table is created.
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: EVENTS_STREAM_ARN,
      StartingPosition: 'TRIM_HORIZON',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ EVENT_TABLE_NAME: 'orders-events' }) },
    });
    const grants = grantsOf(template, roleOf(counters));
    expect(grants).toContainEqual({
      Actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      Resource: EVENTS_STREAM_ARN,
    });
    expect(JSON.stringify(grants)).not.toContain(`"${EVENTS_ARN}"`);
    // CDK cannot know an imported stream's view type: a warning says what it must be.
    Annotations.fromStack(stack).hasWarning(
      '/App0/Counters',
      Match.stringLikeRegexp('must be NEW_IMAGE or NEW_AND_OLD_IMAGES'),
    );
  });

  it('refuses at synth an event table without a stream, with the in-place fix, never a deletion', () => {
    const { stack, pipeline } = inApp();
    const error = synthRefusal(() =>
      pipeline('Counters', { eventTable: Table.fromTableArn(stack, 'Events', EVENTS_ARN) }),
    );
    expect(error.option).toBe('eventTable');
    expect(error.message).toContain('give its tableStreamArn to Table.fromTableAttributes');
    expect(error.message).toContain(
      'aws dynamodb update-table --table-name <name> --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE',
    );
    expect(error.message).not.toMatch(/delete/i);
  });

  it('checks the stream of a table another stack made: refuses KEYS_ONLY or none, takes NEW_IMAGE without a warning', () => {
    const app = newApp();
    for (const [stream, why] of [
      [StreamViewType.KEYS_ONLY, 'this one is KEYS_ONLY'],
      [undefined, 'this one has no stream ARN'],
    ] as const) {
      const eventTable = tableOfAnotherStack(app, stream);
      expect(synthRefusal(() => inApp(app).pipeline('Counters', { eventTable })).message).toContain(
        why,
      );
    }
    const { stack, pipeline } = inApp(app);
    pipeline('Counters', { eventTable: tableOfAnotherStack(app, StreamViewType.NEW_IMAGE) });
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 1);
    expect(
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('stream view type')),
    ).toEqual([]);
  });

  it('runs one pipeline per event table, sharing one counts table: each function may write it', () => {
    const app = newApp();
    const { stack, pipeline, roleOf } = inApp(app);
    const orders = pipeline('Orders', {
      eventTable: tableOfAnotherStack(app, StreamViewType.NEW_IMAGE),
    });
    const users = pipeline('Users', {
      eventTable: tableOfAnotherStack(app, StreamViewType.NEW_AND_OLD_IMAGES),
      countsTable: orders.countsTable,
    });
    expect(users.countsTable).toBe(orders.countsTable);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    const countsArn = {
      'Fn::GetAtt': [stack.getLogicalId(orders.countsTable.node.defaultChild as never), 'Arn'],
    };
    for (const counters of [orders, users])
      expect(grantsOf(template, roleOf(counters))).toContainEqual(
        expect.objectContaining({
          Actions: expect.arrayContaining(['dynamodb:UpdateItem']),
          Resource: countsArn,
        }),
      );
  });

  it('with reactions, needs a NEW_AND_OLD_IMAGES stream on an existing counts table, and pushes to an imported event table', () => {
    const app = newApp();
    const noStream = tableOfAnotherStack(app, undefined);
    const error = synthRefusal(() =>
      inApp(app).pipeline('Counters', { countsTable: noStream, reactions }),
    );
    expect(error.option).toBe('countsTable');
    expect(error.message).toContain('StreamViewType=NEW_AND_OLD_IMAGES');
    const newImageOnly = tableOfAnotherStack(app, StreamViewType.NEW_IMAGE);
    expect(
      synthRefusal(() => inApp(app).pipeline('Counters', { countsTable: newImageOnly, reactions }))
        .message,
    ).toContain('this one is NEW_IMAGE');
    // An existing counts table without reactions needs no stream at all.
    inApp(app).pipeline('Counters', { countsTable: noStream });

    const { stack, pipeline } = inApp(app);
    const eventTable = Table.fromTableAttributes(stack, 'Events', {
      tableArn: EVENTS_ARN,
      tableStreamArn: EVENTS_STREAM_ARN,
    });
    const counts = tableOfAnotherStack(app, StreamViewType.NEW_AND_OLD_IMAGES);
    const counters = pipeline('Counters', { eventTable, countsTable: counts, reactions });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    const reactionsRole = stack.getLogicalId(
      counters.reactions?.function.role?.node.defaultChild as never,
    );
    expect(grantsOf(template, reactionsRole)).toContainEqual({
      Actions: ['dynamodb:PutItem'],
      Resource: EVENTS_ARN,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [UNKNOWN_EVENT_STORES_ENV]: 'skip' }) },
    });
  });

  it('grants kms:Decrypt on the customer managed key of a table whose items a function reads or writes, the stream’s key as CDK’s event source does, and no KMS action on a table without one', () => {
    const { stack, pipeline, roleOf } = inApp();
    const keyArn = (name: string) => `arn:aws:kms:eu-west-1:123456789012:key/${name}`;
    const imported = (name: string, key: boolean) =>
      Table.fromTableAttributes(stack, name, {
        tableArn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}`,
        tableStreamArn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}/stream/2026-01-01T00:00:00.000`,
        ...(key ? { encryptionKey: Key.fromKeyArn(stack, `${name}Key`, keyArn(name)) } : {}),
      });
    const encrypted = pipeline('Encrypted', {
      eventTable: imported('events', true),
      countsTable: imported('counts', true),
      reactions, // their target: the event table
    });
    const countsOnly = pipeline('CountsOnly', {
      eventTable: imported('events2', false),
      countsTable: imported('counts2', true),
    });
    const plain = pipeline('Plain', {
      eventTable: imported('events3', false),
      countsTable: imported('counts3', false),
      reactions,
    });
    const template = Template.fromStack(stack);
    const kmsGrants = (roleId: string) => keyGrantsOf(template, roleId);
    const reactionsRoleOf = (p: CounterProjectionPipeline) =>
      stack.getLogicalId(p.reactions?.function.role?.node.defaultChild as never);
    // The projection: the counts table's items, the event table's stream.
    expect(kmsGrants(roleOf(encrypted))).toEqual([
      { Actions: ['kms:Decrypt'], Resource: keyArn('counts') },
      { Actions: ['kms:Decrypt', 'kms:DescribeKey'], Resource: keyArn('events') },
    ]);
    // The reactions: the counts table's stream, PutItem on the event table.
    expect(kmsGrants(reactionsRoleOf(encrypted))).toEqual([
      { Actions: ['kms:Decrypt', 'kms:DescribeKey'], Resource: keyArn('counts') },
      { Actions: ['kms:Decrypt'], Resource: keyArn('events') },
    ]);
    expect(kmsGrants(roleOf(countsOnly))).toEqual([
      { Actions: ['kms:Decrypt'], Resource: keyArn('counts2') },
    ]);
    expect(kmsGrants(roleOf(plain))).toEqual([]);
    expect(kmsGrants(reactionsRoleOf(plain))).toEqual([]);
  });

  it('takes a counts table of the same stack made with a customer managed key: kms:Decrypt on that key, cdk-nag’s pack still passing', () => {
    const { app, stack, pipeline, roleOf } = inApp();
    const counts = new Table(stack, 'Counts', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    const counters = pipeline('Counters', { countsTable: counts });
    const template = Template.fromStack(stack);
    expect(keyGrantsOf(template, roleOf(counters))).toEqual([
      {
        Actions: ['kms:Decrypt'],
        Resource: {
          'Fn::GetAtt': [
            stack.getLogicalId(counts.encryptionKey?.node.defaultChild as never),
            'Arn',
          ],
        },
      },
    ]);
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });

  it('passes cdk-nag’s AwsSolutions pack on imported event and counts tables, reactions on', () => {
    const { app, stack, pipeline } = inApp();
    const imported = (id: string, name: string) =>
      Table.fromTableAttributes(stack, id, {
        tableArn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}`,
        tableStreamArn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}/stream/2026-01-01T00:00:00.000`,
      });
    pipeline('Counters', {
      eventTable: imported('Events', 'orders-events'),
      countsTable: imported('Counts', 'orders-counts'),
      reactions,
    });
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });
});
