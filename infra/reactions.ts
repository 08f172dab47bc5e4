import type { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import { reactionsStreamFilter } from '../src/counterReactions/index.js';
import { createAlarms, type PipelineAlarmSettings } from './alarms.js';
import {
  acknowledgeConsumerFindings,
  type ConsumerFunctionSettings,
  createConsumerFunction,
  createDeadLetterQueue,
  createStreamEventSource,
  type EventSourceSettings,
} from './streamConsumer.js';
import { grantTableKey } from './tableKeys.js';

export interface ReactionsSettings {
  /** The module whose export is the reactions' handler (`export const handler = reactions.handler`). */
  handlerEntry: string;
  /** Default "handler". */
  handlerExport?: string;
  /** The event table the reactions push COUNT_REACHED to. Default the pipeline's event table. */
  targetTable?: ITable;
  function?: ConsumerFunctionSettings;
  /** The same defaults as the projection's mapping. */
  eventSource?: EventSourceSettings;
}

/**
 * The reactions function on the counts table's stream (NEW_AND_OLD_IMAGES), mapped as the
 * projection is, with records of counts totals only (sort key "total"), its own dead letter
 * queue and alarms; it may push to the target event table and nothing else.
 */
export class PipelineReactions extends Construct {
  readonly function: NodejsFunction;
  readonly deadLetterQueue: Queue;
  readonly alarms: Alarm[];

  constructor(
    scope: Construct,
    id: string,
    props: {
      settings: ReactionsSettings;
      countsTable: ITable;
      targetTable: ITable;
      alarms: PipelineAlarmSettings | false | undefined;
      serviceName: string;
      deadLetterRetention: Duration | undefined;
    },
  ) {
    super(scope, id);
    const { settings, targetTable } = props;
    this.deadLetterQueue = createDeadLetterQueue(
      this,
      'DeadLetterQueue',
      props.deadLetterRetention,
    );
    this.function = createConsumerFunction(this, {
      ids: { function: 'Function', logs: 'Logs' },
      entry: settings.handlerEntry,
      handler: settings.handlerExport ?? 'handler',
      settings: settings.function ?? {},
      environment: {
        REACTIONS_TABLE_NAME: targetTable.tableName,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
      },
    });
    this.function.addEventSource(
      createStreamEventSource(props.countsTable, settings.eventSource ?? {}, {
        // A window's or a ref's record reaches nothing: the function is not even invoked.
        filter: FilterCriteria.filter(reactionsStreamFilter),
        onFailure: new SqsDlq(this.deadLetterQueue),
      }),
    );
    // pushEventReaction's one write: a conditional PutItem of version 1 (and kms:Decrypt
    // on the target's customer managed key if it has one).
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [targetTable.tableArn] }),
    );
    grantTableKey(this.function, targetTable);
    this.alarms = this.createAlarms(props.alarms, props.serviceName);
    acknowledgeConsumerFindings(this.function, this.deadLetterQueue);
  }

  private createAlarms(
    alarms: PipelineAlarmSettings | false | undefined,
    serviceName: string,
  ): Alarm[] {
    if (alarms === false) return [];
    return createAlarms(
      this,
      // The reactions publish no RecordsFailed metric: their failures are function errors.
      { ...alarms, recordsFailed: false },
      {
        fn: this.function,
        deadLetters: { queue: this.deadLetterQueue },
        metrics: { namespace: 'unused', serviceName },
        consumer: {
          name: 'reactions',
          replay:
            "replay each message with replayDeadLetter and your reactions' processRecords before the stream trims the records (24 h)",
        },
      },
    );
  }
}
