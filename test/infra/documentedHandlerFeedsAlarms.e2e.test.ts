import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';

import { buildExampleApp } from '../../infra/example/app.js';
import { dynamoDBEndpoint } from '../support/dynamoDB.js';
import { useCdkApps } from './cdkApps.js';

const exec = promisify(execFile);
const newApp = useCdkApps('cdk-handler-metrics');

type Resource = { Type: string; Properties: Record<string, unknown> };
type AlarmMetric = {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
};

/** An ORDER_PLACED record without a country: the example's counters cannot count it. */
const failingEvent = {
  Records: [
    {
      eventID: '1',
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: '100',
        ApproximateCreationDateTime: Date.now() / 1000,
        Keys: { aggregateId: { S: 'orders#o1' }, version: { N: '1' } },
        NewImage: {
          aggregateId: { S: 'orders#o1' },
          version: { N: '1' },
          eventStoreId: { S: 'orders' },
          type: { S: 'ORDER_PLACED' },
          timestamp: { S: new Date().toISOString() },
          payload: { M: {} },
        },
      },
    },
  ],
};

/** The bundled counts handler of the example app, and what its function and alarm say. */
const synthesizeExample = () => {
  const { app, stack } = buildExampleApp(newApp({ bundle: true }));
  const assembly = app.synth();
  const resources = Object.values(Template.fromStack(stack).toJSON().Resources) as Resource[];
  const countsFunction = resources.find(
    ({ Type, Properties }) =>
      Type === 'AWS::Lambda::Function' &&
      JSON.stringify(Properties.Environment).includes('COUNTS_TABLE_NAME'),
  );
  const alarm = resources.find(
    ({ Type, Properties }) =>
      Type === 'AWS::CloudWatch::Alarm' && Properties.MetricName === 'RecordsFailed',
  );
  if (countsFunction === undefined || alarm === undefined) throw new Error('not synthesized');
  const { S3Key } = countsFunction.Properties.Code as { S3Key: string };
  const asset = join(assembly.directory, `asset.${S3Key.replace(/\.zip$/, '')}`);
  const bundle = ['index.mjs', 'index.js'].map((file) => join(asset, file)).find(existsSync);
  const { Variables } = countsFunction.Properties.Environment as {
    Variables: Record<string, unknown>;
  };
  // Plain strings only: the table names are references, set below to tables of the test.
  const environment = Object.fromEntries(
    Object.entries(Variables).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return { bundle, environment, alarmMetric: alarm.Properties as AlarmMetric };
};

describe('the documented handler module feeds the alarms the pipeline creates', () => {
  it('run as bundled, with its function’s environment, on a record it cannot count: its output holds the RecordsFailed metric the alarm reads', async () => {
    const { bundle, environment, alarmMetric } = synthesizeExample();
    expect(bundle).toBeDefined();

    const { stdout } = await exec(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(bundle)});
         console.error(JSON.stringify(await handler(${JSON.stringify(failingEvent)})));`,
      ],
      {
        env: {
          PATH: process.env.PATH,
          ...environment,
          COUNTS_TABLE_NAME: 'counts',
          REACTIONS_TABLE_NAME: 'events',
          AWS_REGION: 'local',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_ENDPOINT_URL_DYNAMODB: dynamoDBEndpoint(),
        },
      },
    );

    const emf = stdout
      .split('\n')
      .filter((line) => line.startsWith('{"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const [dimension] = alarmMetric.Dimensions;
    const published = emf.filter((line) => {
      const [directive] = (line._aws as { CloudWatchMetrics: Record<string, unknown>[] })
        .CloudWatchMetrics;
      return (
        directive?.Namespace === alarmMetric.Namespace &&
        JSON.stringify(directive.Dimensions) === JSON.stringify([[dimension?.Name]]) &&
        line[dimension?.Name ?? ''] === dimension?.Value
      );
    });
    expect(alarmMetric.Dimensions).toHaveLength(1);
    expect(published.map((line) => line[alarmMetric.MetricName])).toEqual([1]);
  }, 180_000);
});
