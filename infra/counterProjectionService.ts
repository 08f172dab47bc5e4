import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  type ContainerImage,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
} from 'aws-cdk-lib/aws-ecs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { metricsSettingsOf, type PipelineMetricsSettings } from './alarms.js';
import { isExistingTable, pipelineTables, type TableInput } from './existingTables.js';
import {
  checkRunnerSettings,
  DEFAULT_ENTRY_POINT,
  runnerCommand,
  type RunnerCommandSettings,
} from './runnerCommand.js';
import { grantRunner } from './runnerGrants.js';
import { createServiceAlarms, type ServiceAlarmSettings } from './serviceAlarms.js';
import { serviceNetwork, type ServiceNetworkSettings } from './serviceNetwork.js';
import { asITable, createCheckpointTable, createCountsTable, createEventTable } from './tables.js';

export interface CounterProjectionServiceProps
  extends ServiceNetworkSettings, RunnerCommandSettings {
  /**
   * The image the runner runs in (e.g. ContainerImage.fromAsset): Node.js 20.19 or later
   * (docs/deploy.md's Dockerfile: node:24-slim, the Lambda's), castore-dynamodb-counter
   * among the dependencies installed in its working directory, and the counters module built.
   */
  image: ContainerImage;
  /**
   * The module that exports `counters` (and `sourceEventStores`), as `run --counters` takes
   * it: a path in the image, from its working directory, where the build wrote it (tsc with
   * rootDir src and outDir dist: src/counters.ts is dist/counters.js).
   */
  countersModule: string;
  /** The CLI in the image. Default ["./node_modules/.bin/castore-dynamodb-counter"] (from the working directory). */
  entryPoint?: string[];
  /** The event table: settings of the one to create (the default), or an existing one with its stream. */
  eventTable?: TableInput;
  /** The counts table: settings of the one to create (the default, with TTL), or an existing one. */
  countsTable?: TableInput;
  /** Where the runner keeps its place in each shard: settings of the one to create (the default), or an existing one. */
  checkpointTable?: TableInput;
  /** The checkpoint's name (run --consumer). Default "default". */
  consumerName?: string;
  /** Records per handler call (run --batch-size), from 1 to 10,000. Default 500. */
  batchSize?: number;
  /** How long to gather records before a smaller batch (run --batching-window), up to 5 minutes. Default none. */
  batchingWindow?: Duration;
  /** The task's size (Fargate CPU units and MiB). Default 256 and 512. */
  cpu?: number;
  memoryLimitMiB?: number;
  /** How long the task's log is kept. Default one month. */
  logRetention?: RetentionDays;
  /** CloudWatch alarms, each on by default (see ServiceAlarmSettings); false: none. */
  alarms?: ServiceAlarmSettings | false;
  /**
   * Where the projection's metrics go (run --metrics-namespace, --metrics-service: EMF lines
   * in the task's log, which the alarms read). Default "CastoreCounters" and the construct's id.
   */
  metrics?: PipelineMetricsSettings;
  /**
   * When the counters module exports `reactions`: the task reacts as well (`run
   * --reactions-table`), pushing COUNT_REACHED to `targetTable` (default the event table);
   * the counts table then needs a NEW_AND_OLD_IMAGES stream (given to the one created).
   */
  reactions?: { targetTable?: ITable };
}

/**
 * The deployment profile of counters that Lambda cannot run exactly (idempotency:
 * 'shardWatermark'), and of any counters you prefer to run in a container: the stream
 * runner (`castore-dynamodb-counter run`) as one ECS Fargate task, restarted by ECS when it
 * stops. It reads each shard in order and never skips a record: a failing batch is retried,
 * then the task stops and restarts from its checkpoint; no dead letter, no parallelization.
 * The task may read the event table's stream and describe its table, read and write the
 * counts and checkpoint tables (with reactions: read the counts stream, PutItem on their
 * target), and decrypt with the customer managed KMS keys of those tables that have one;
 * nothing else.
 */
export class CounterProjectionService extends Construct {
  readonly eventTable: ITable;
  readonly countsTable: ITable;
  readonly checkpointTable: ITable;
  /** Where the reactions push COUNT_REACHED, when `reactions` is given. */
  readonly reactionsTable: ITable | undefined;
  readonly service: FargateService;
  readonly taskDefinition: FargateTaskDefinition;
  readonly alarms: Alarm[];
  private readonly metricsSettings: Required<PipelineMetricsSettings>;

  constructor(scope: Construct, id: string, props: CounterProjectionServiceProps) {
    super(scope, id);
    this.metricsSettings = metricsSettingsOf(props.metrics, id);
    checkRunnerSettings(props); // refused at synth before anything is made
    ({ eventTable: this.eventTable, countsTable: this.countsTable } = pipelineTables(this, {
      eventTable: props.eventTable,
      countsTable: props.countsTable,
      reactions: props.reactions !== undefined,
      create: {
        eventTable: (settings) => asITable(createEventTable(this, settings)),
        countsTable: (settings) =>
          asITable(createCountsTable(this, settings, { stream: props.reactions !== undefined })),
      },
    }));
    this.reactionsTable =
      props.reactions === undefined ? undefined : (props.reactions.targetTable ?? this.eventTable);
    this.checkpointTable = isExistingTable(props.checkpointTable)
      ? props.checkpointTable
      : asITable(createCheckpointTable(this, props.checkpointTable ?? {}));
    const logGroup = new LogGroup(this, 'RunnerLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    this.taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? 256,
      memoryLimitMiB: props.memoryLimitMiB ?? 512,
    });
    this.addRunnerContainer(props, logGroup);
    grantRunner(this.taskDefinition, this);
    this.service = new FargateService(this, 'Service', {
      ...serviceNetwork(this, props),
      taskDefinition: this.taskDefinition,
      desiredCount: 1,
      // A deployment starts the new task before it stops the old one: two runners for a
      // moment, which count exactly (checkpoints are after the counts; watermarks and refs
      // drop what the other counted).
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
    });
    this.alarms =
      props.alarms === false
        ? []
        : createServiceAlarms(this, props.alarms ?? {}, {
            service: this.service,
            metrics: this.metricsSettings,
          });
  }
  /** `castore-dynamodb-counter run` on the tables, with the options checked at synth. */
  private addRunnerContainer(props: CounterProjectionServiceProps, logGroup: LogGroup): void {
    this.taskDefinition.addContainer('Runner', {
      image: props.image,
      entryPoint: props.entryPoint ?? DEFAULT_ENTRY_POINT,
      command: runnerCommand({ ...props, metrics: this.metricsSettings }, this),
      logging: LogDrivers.awsLogs({ streamPrefix: 'runner', logGroup }),
      // SIGTERM stops the runner after the batch in flight; a batch of 10,000 records may
      // take longer than ECS's default 30 s (a kill mid-batch is safe, but redoes it).
      stopTimeout: Duration.seconds(120),
    });
  }
}
