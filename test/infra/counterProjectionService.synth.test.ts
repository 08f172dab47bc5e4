import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  AttributeType,
  type ITable,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { type IVpc, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Cluster, ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';

import { CounterProjectionService, type CounterProjectionServiceProps } from '../../infra/index.js';
import { COUNTS_TTL_ATTRIBUTE } from '../../src/counterProjection/index.js';
import { acknowledgedFindings, useCdkApps } from './cdkApps.js';
import { grantsOf, keyGrantsOf } from './grantsOf.js';
import { synthRefusal } from './synthRefusal.js';

const newApp = useCdkApps('cdk-service');
const image = ContainerImage.fromRegistry('example/counters:1');

const synth = (props: Partial<CounterProjectionServiceProps> = {}) => {
  const app = newApp();
  const stack = new Stack(app, 'Test');
  const service = new CounterProjectionService(stack, 'Counts', {
    image,
    countersModule: 'dist/counters.js',
    ...props,
  });
  const template = Template.fromStack(stack);
  const containers = Object.values(template.findResources('AWS::ECS::TaskDefinition')).flatMap(
    ({ Properties }) => Properties.ContainerDefinitions as Record<string, unknown>[],
  );
  const ref = (construct: { node: { defaultChild?: unknown } }) => ({
    Ref: stack.getLogicalId(construct.node.defaultChild as never),
  });
  const arn = (table: { node: { defaultChild?: unknown } }) => ({
    'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as never), 'Arn'],
  });
  const role = stack.getLogicalId(service.taskDefinition.taskRole.node.defaultChild as never);
  const stackIdOf = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  return {
    app,
    stack,
    service,
    template,
    containers,
    ref,
    arn,
    stackIdOf,
    grants: grantsOf(template, role),
  };
};

describe('CounterProjectionService (the stream runner on ECS Fargate)', () => {
  it('runs `castore-dynamodb-counter run` on the three tables as one task, restarted by ECS, new before old on deploy', () => {
    const { template, containers, service, ref } = synth({ batchSize: 1_000 });
    expect(containers).toHaveLength(1);
    expect(containers[0]).toMatchObject({
      Image: 'example/counters:1',
      EntryPoint: ['./node_modules/.bin/castore-dynamodb-counter'],
      Command: [
        'run',
        '--counters',
        'dist/counters.js',
        '--event-table',
        ref(service.eventTable),
        '--counts-table',
        ref(service.countsTable),
        '--checkpoint-table',
        ref(service.checkpointTable),
        '--consumer',
        'default',
        '--batch-size',
        '1000',
        '--batching-window',
        '0',
        '--metrics-namespace',
        'CastoreCounters',
        '--metrics-service',
        'Counts',
      ],
      StopTimeout: 120,
    });
    // No setting travels in the environment (ECS sets AWS_REGION itself).
    expect(containers[0]).not.toHaveProperty('Environment');
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 1,
      DeploymentConfiguration: Match.objectLike({
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
  });

  it('creates the event table (stream), the counts table (TTL on) and the checkpoint table (pk/sk), each protected', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::DynamoDB::Table', 3);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: COUNTS_TTL_ATTRIBUTE, Enabled: true },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: Match.absent(),
      DeletionProtectionEnabled: true,
    });
  });

  it('lets the task read the stream and describe the tables, read and write counts and checkpoints; nothing else', () => {
    const { grants, service, arn } = synth();
    const tableArn = (table: typeof service.eventTable) => arn(table);
    expect(grants).toEqual(
      expect.arrayContaining([
        {
          Actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: { 'Fn::GetAtt': [expect.any(String), 'StreamArn'] },
        },
        { Actions: ['dynamodb:ListStreams'], Resource: '*' },
        { Actions: ['dynamodb:DescribeTable'], Resource: tableArn(service.eventTable) },
        {
          Actions: [
            'dynamodb:BatchGetItem',
            'dynamodb:ConditionCheckItem',
            'dynamodb:DescribeTable',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:UpdateItem',
          ],
          Resource: tableArn(service.countsTable),
        },
        {
          Actions: [
            'dynamodb:DescribeTable',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:UpdateItem',
          ],
          Resource: tableArn(service.checkpointTable),
        },
      ]),
    );
    expect(grants).toHaveLength(5);
    const all = grants.flatMap(({ Actions }) => Actions);
    expect(all.filter((action) => /Scan|Delete|BatchWrite/.test(action))).toEqual([]);
  });

  it('grants on the checkpoint table exactly the commands the checkpoint store sends, and DescribeTable (`run` checks it at start)', () => {
    // Every request `run` makes to the checkpoint table goes through src/checkpoints: a
    // command it starts sending (or paginating) must be granted here, or the task gets
    // AccessDenied, which DynamoDB Local never says. A transaction is authorized action by
    // action (its Update on a checkpoint is UpdateItem), so it names no action of its own.
    const folder = fileURLToPath(new URL('../../src/checkpoints/', import.meta.url));
    const source = readdirSync(folder)
      .map((file) => readFileSync(join(folder, file), 'utf8'))
      .join('\n');
    const sent = [...source.matchAll(/new (\w+)Command\(|paginate(\w+)\(/g)]
      .map(([, command, paginated]) => command ?? paginated)
      .filter((name) => name !== 'TransactWriteItems')
      .map((name) => `dynamodb:${name}`);
    expect(new Set(sent)).toEqual(
      new Set(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
    const { grants, service, arn } = synth();
    const onCheckpoints = grants.filter(
      ({ Resource }) => JSON.stringify(Resource) === JSON.stringify(arn(service.checkpointTable)),
    );
    expect(onCheckpoints.flatMap(({ Actions }) => Actions).sort()).toEqual(
      [...new Set(['dynamodb:DescribeTable', ...sent])].sort(),
    );
  });

  it('grants kms:Decrypt on the customer managed key of each table whose items it reads or writes, the stream’s key as CDK’s stream read does, and no KMS action on a table without one', () => {
    const app = newApp();
    const stack = new Stack(app, 'Keys');
    const keyArn = (name: string) => `arn:aws:kms:eu-west-1:123456789012:key/${name}`;
    const imported = (name: string, key: boolean) =>
      Table.fromTableAttributes(stack, name, {
        tableArn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}`,
        tableStreamArn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}/stream/2026-01-01T00:00:00.000`,
        ...(key ? { encryptionKey: Key.fromKeyArn(stack, `${name}Key`, keyArn(name)) } : {}),
      });
    const service = (id: string, keys: boolean[], reactions?: { targetTable?: ITable }) =>
      new CounterProjectionService(stack, id, {
        image,
        countersModule: 'c.js',
        eventTable: imported(`${id}-events`, keys[0] ?? false),
        countsTable: imported(`${id}-counts`, keys[1] ?? false),
        checkpointTable: imported(`${id}-checkpoints`, keys[2] ?? false),
        ...(reactions !== undefined ? { reactions } : {}),
      });
    const encrypted = service('all', [true, true, true], {
      targetTable: imported('reached', true),
    });
    // One key on one table, none on the others: that key's grant alone.
    const checkpointsOnly = service('one', [false, false, true]);
    const plain = service('none', [false, false, false], {});
    const template = Template.fromStack(stack);
    const kmsGrantsOf = ({ taskDefinition }: CounterProjectionService) =>
      keyGrantsOf(template, stack.getLogicalId(taskDefinition.taskRole.node.defaultChild as never));
    expect(kmsGrantsOf(encrypted)).toEqual([
      // The event table: its stream only (DescribeTable needs no key).
      { Actions: ['kms:Decrypt', 'kms:DescribeKey'], Resource: keyArn('all-events') },
      { Actions: ['kms:Decrypt'], Resource: keyArn('all-counts') },
      { Actions: ['kms:Decrypt'], Resource: keyArn('all-checkpoints') },
      // The counts table's stream, which the reactions read.
      { Actions: ['kms:Decrypt', 'kms:DescribeKey'], Resource: keyArn('all-counts') },
      { Actions: ['kms:Decrypt'], Resource: keyArn('reached') },
    ]);
    expect(kmsGrantsOf(checkpointsOnly)).toEqual([
      { Actions: ['kms:Decrypt'], Resource: keyArn('one-checkpoints') },
    ]);
    expect(kmsGrantsOf(plain)).toEqual([]);
    // The tables it creates are under DynamoDB's AWS owned key: no key, no grant.
    const created = synth();
    created.template.resourcePropertiesCountIs(
      'AWS::DynamoDB::Table',
      { SSESpecification: Match.anyValue() },
      0,
    );
    expect(JSON.stringify(created.grants)).not.toContain('kms:');
  });

  it('takes tables of the same stack made with a customer managed key: kms:Decrypt on that key, cdk-nag’s pack still passing', () => {
    const app = newApp();
    const stack = new Stack(app, 'SameStack');
    const encryptedTable = (id: string, stream?: StreamViewType) =>
      new Table(stack, id, {
        partitionKey: { name: 'pk', type: AttributeType.STRING },
        sortKey: { name: 'sk', type: AttributeType.STRING },
        encryption: TableEncryption.CUSTOMER_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        ...(stream !== undefined ? { stream } : {}),
      });
    const events = encryptedTable('Events', StreamViewType.NEW_IMAGE);
    const counts = encryptedTable('Counts');
    const checkpoints = encryptedTable('Checkpoints');
    const service = new CounterProjectionService(stack, 'Runner', {
      image,
      countersModule: 'c.js',
      eventTable: events,
      countsTable: counts,
      checkpointTable: checkpoints,
    });
    const template = Template.fromStack(stack);
    const keyArn = (table: Table) => ({
      'Fn::GetAtt': [stack.getLogicalId(table.encryptionKey?.node.defaultChild as never), 'Arn'],
    });
    const role = stack.getLogicalId(service.taskDefinition.taskRole.node.defaultChild as never);
    expect(keyGrantsOf(template, role)).toEqual([
      { Actions: ['kms:Decrypt', 'kms:DescribeKey'], Resource: keyArn(events) },
      { Actions: ['kms:Decrypt'], Resource: keyArn(counts) },
      { Actions: ['kms:Decrypt'], Resource: keyArn(checkpoints) },
    ]);
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });

  it('takes existing tables: maps no new table, reads the given stream, and refuses a table without a stream at synth', () => {
    const app = newApp();
    const stack = new Stack(app, 'Existing');
    const eventsArn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders-events';
    const streamArn = `${eventsArn}/stream/2026-01-01T00:00:00.000`;
    const service = new CounterProjectionService(stack, 'Counts', {
      image,
      countersModule: 'dist/counters.js',
      eventTable: Table.fromTableAttributes(stack, 'Events', {
        tableArn: eventsArn,
        tableStreamArn: streamArn,
      }),
      countsTable: Table.fromTableName(stack, 'CountsIn', 'orders-counts'),
      checkpointTable: Table.fromTableName(stack, 'Checkpoints', 'orders-checkpoints'),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    const role = stack.getLogicalId(service.taskDefinition.taskRole.node.defaultChild as never);
    expect(grantsOf(template, role)).toContainEqual({
      Actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      Resource: streamArn,
    });
    const command = JSON.stringify(
      Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0],
    );
    for (const name of ['orders-events', 'orders-counts', 'orders-checkpoints'])
      expect(command).toContain(`"${name}"`);
    const error = synthRefusal(
      () =>
        new CounterProjectionService(new Stack(app, 'NoStream'), 'Counts', {
          image,
          countersModule: 'dist/counters.js',
          eventTable: Table.fromTableArn(stack, 'NoStreamEvents', eventsArn),
        }),
    );
    expect(error.option).toBe('eventTable');
    expect(error.message).toContain('StreamEnabled=true,StreamViewType=NEW_IMAGE');
  });

  it('reacts when given reactions: a NEW_AND_OLD_IMAGES counts stream, --reactions-table, the stream read and PutItem on the target', () => {
    const { template, containers, service, ref, arn, grants, stackIdOf } = synth({
      reactions: {},
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: COUNTS_TTL_ATTRIBUTE, Enabled: true },
    });
    const command = containers[0]?.Command as unknown[];
    expect(
      command.slice(command.indexOf('--reactions-table'), command.indexOf('--reactions-table') + 2),
    ).toEqual(['--reactions-table', ref(service.eventTable)]);
    expect(service.reactionsTable).toBe(service.eventTable);
    const streamReads = grants.filter(({ Actions }) => Actions.includes('dynamodb:GetRecords'));
    expect(streamReads.map(({ Resource }) => Resource)).toEqual([
      { 'Fn::GetAtt': [expect.any(String), 'StreamArn'] },
      { 'Fn::GetAtt': [expect.any(String), 'StreamArn'] },
    ]);
    expect(JSON.stringify(streamReads)).toContain(stackIdOf(service.countsTable));
    expect(grants).toContainEqual({
      Actions: ['dynamodb:DescribeTable', 'dynamodb:PutItem'],
      Resource: arn(service.eventTable),
    });
    // Without reactions, none of it.
    const plain = synth();
    expect(plain.containers[0]?.Command).not.toContain('--reactions-table');
    plain.template.resourcePropertiesCountIs(
      'AWS::DynamoDB::Table',
      { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } },
      0,
    );
  });

  it('with reactions, refuses an existing counts table without a NEW_AND_OLD_IMAGES stream, and pushes to the target given', () => {
    const app = newApp();
    const stack = new Stack(app, 'Reacting');
    const error = synthRefusal(
      () =>
        new CounterProjectionService(stack, 'Counts', {
          image,
          countersModule: 'c.js',
          countsTable: Table.fromTableName(stack, 'CountsIn', 'orders-counts'),
          reactions: {},
        }),
    );
    expect(error.option).toBe('countsTable');
    expect(error.message).toContain('StreamViewType=NEW_AND_OLD_IMAGES');
    const target = Table.fromTableName(stack, 'Reached', 'reached-events');
    const service = new CounterProjectionService(stack, 'Other', {
      image,
      countersModule: 'c.js',
      reactions: { targetTable: target },
    });
    const template = Template.fromStack(stack);
    const role = stack.getLogicalId(service.taskDefinition.taskRole.node.defaultChild as never);
    expect(JSON.stringify(grantsOf(template, role))).toContain('table/reached-events');
    expect(JSON.stringify(template.findResources('AWS::ECS::TaskDefinition'))).toContain(
      '"--reactions-table","reached-events"',
    );
  });

  it('refuses at synth the settings `run` would refuse, and a VPC beside a cluster', () => {
    const cases: [Partial<CounterProjectionServiceProps>, string][] = [
      [{ batchSize: 0 }, 'batchSize'],
      [{ batchSize: 10_001 }, 'batchSize'],
      [{ batchingWindow: Duration.minutes(6) }, 'batchingWindow'],
      [{ countersModule: ' ' }, 'countersModule'],
      [{ consumerName: '' }, 'consumerName'],
      [{ entryPoint: [] }, 'entryPoint'],
    ];
    for (const [props, option] of cases)
      expect(synthRefusal(() => synth(props)).option).toBe(option);
    const app = newApp();
    const stack = new Stack(app, 'Both');
    const vpc = new Vpc(stack, 'Vpc');
    const error = synthRefusal(
      () =>
        new CounterProjectionService(stack, 'Counts', {
          image,
          countersModule: 'dist/counters.js',
          vpc,
          cluster: new Cluster(stack, 'Cluster', { vpc: vpc as IVpc }),
        }),
    );
    expect(error.option).toBe('vpc');
  });

  it('runs in its own VPC without NAT (public IP, DynamoDB endpoint, flow logs), or in the VPC or cluster given, in private subnets', () => {
    const own = synth().template;
    own.resourceCountIs('AWS::EC2::VPC', 1);
    own.resourceCountIs('AWS::EC2::NatGateway', 0);
    own.resourceCountIs('AWS::EC2::FlowLog', 1);
    own.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    own.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }),
      },
    });
    own.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.absent() });

    const app = newApp();
    const stack = new Stack(app, 'Given');
    const vpc = new Vpc(stack, 'Vpc', {
      subnetConfiguration: [
        { name: 'Public', subnetType: SubnetType.PUBLIC },
        { name: 'Private', subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    // (CDK's own Cluster takes an IVpc: a Vpc is one only through an assertion under
    // exactOptionalPropertyTypes; the construct's settings take both.)
    const cluster = new Cluster(stack, 'Cluster', { vpc: vpc as IVpc });
    new CounterProjectionService(stack, 'Counts', { image, countersModule: 'c.js', cluster });
    const given = Template.fromStack(stack);
    given.resourceCountIs('AWS::EC2::VPC', 1);
    given.resourceCountIs('AWS::ECS::Cluster', 1);
    const [serviceResource] = Object.values(given.findResources('AWS::ECS::Service'));
    const network = serviceResource?.Properties.NetworkConfiguration.AwsvpcConfiguration;
    expect(network.AssignPublicIp).toBe('DISABLED');
    expect(JSON.stringify(network.Subnets)).toContain('PrivateSubnet');
  });

  it('alarms when no task runs (no data is the failure), on lag, failed and set-aside records (the EMF metrics `run` publishes), to the topic given', () => {
    const app = newApp();
    const topic = new Topic(new Stack(app, 'Topics'), 'Alerts');
    const stack = new Stack(app, 'Alarmed');
    new CounterProjectionService(stack, 'Counts', {
      image,
      countersModule: 'c.js',
      alarms: { topic, lag: Duration.minutes(2), recordsSetAside: 3 },
      metrics: { namespace: 'Shop', serviceName: 'counts' },
    });
    const alarms = Object.values(
      Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'),
    ).map(({ Properties }) => Properties);
    const named = (name: string) => alarms.find((alarm) => alarm.MetricName === name);
    expect(alarms).toHaveLength(4);
    expect(named('CPUUtilization')).toMatchObject({
      Namespace: 'AWS/ECS',
      Statistic: 'SampleCount',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    const published = { Namespace: 'Shop', Dimensions: [{ Name: 'service', Value: 'counts' }] };
    expect(named('OldestRecordAge')).toMatchObject({
      ...published,
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 120_000,
      EvaluationPeriods: 5,
      TreatMissingData: 'notBreaching',
    });
    expect(named('RecordsFailed')).toMatchObject({ ...published, Statistic: 'Sum', Threshold: 0 });
    expect(named('RecordsSkippedSetAside')).toMatchObject({ ...published, Threshold: 3 });
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toHaveLength(1);
      expect(alarm.OKActions).toHaveLength(1);
    }
    expect(synth({ alarms: false }).template.findResources('AWS::CloudWatch::Alarm')).toEqual({});
    const fewer = synth({ alarms: { notRunning: false, lag: false } }).template;
    expect(Object.keys(fewer.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(2);
  });

  it('passes cdk-nag’s AwsSolutions pack, its one acknowledged finding with its reason', () => {
    const { app } = synth();
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
    // (aws-cdk-lib acknowledges CloudFormation-Validate rules of its own VPC: not ours.)
    const acknowledged = acknowledgedFindings(app).filter(({ id }) => id.includes('AwsSolutions'));
    expect(acknowledged.map(({ id }) => id)).toEqual([
      'Annotation::AwsSolutions-IAM5[Resource::*]',
    ]);
    expect(acknowledged[0]?.reason).toContain('ListStreams');
  });
});
