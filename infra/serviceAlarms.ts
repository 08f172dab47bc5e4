import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { FargateService } from 'aws-cdk-lib/aws-ecs';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

import { alarmsOf, type AlarmSpec } from './alarms.js';

/** The runner service's alarms, each on by default; `false` turns one off. */
export interface ServiceAlarmSettings {
  /** Where every alarm (and its return to OK) is sent. Default: no action. */
  topic?: ITopic;
  /** No runner task reporting for 5 minutes in a row (the service's CPU samples). Default on. */
  notRunning?: false;
  /** Lines of records not counted or set aside in the task's log, in 5 minutes, above this. Default 0. */
  failedRecords?: number | false;
}

/**
 * What the projection logs for each record it could not count ("record <n> not counted")
 * or set aside ("record <n> set aside"): the terms the failed-records alarm counts.
 */
export const FAILED_RECORD_LOG_TERMS = ['not counted', 'set aside'] as const;

/** The runner service's alarms, each with what to do when it fires in its description. */
export const createServiceAlarms = (
  scope: Construct,
  settings: ServiceAlarmSettings,
  {
    service,
    logGroup,
    namespace,
  }: { service: FargateService; logGroup: ILogGroup; namespace: string },
): Alarm[] => {
  const specs: AlarmSpec[] = [];
  if (settings.notRunning !== false)
    specs.push({
      id: 'RunnerNotRunningAlarm',
      metric: service.metricCpuUtilization({
        statistic: 'SampleCount',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      evaluationPeriods: 5,
      below: true,
      description:
        "No runner task has run for 5 minutes: nothing is counted. The service's events and stopped tasks say why (an image that does not start, a table that is missing); counting resumes from the checkpoints once it runs.",
    });
  if (settings.failedRecords !== false)
    specs.push({
      id: 'FailedRecordsAlarm',
      metric: new MetricFilter(scope, 'FailedRecordsFilter', {
        logGroup,
        filterPattern: FilterPattern.anyTerm(...FAILED_RECORD_LOG_TERMS),
        metricNamespace: namespace,
        metricName: 'FailedRecordLines',
      }).metric({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: settings.failedRecords ?? 0,
      evaluationPeriods: 1,
      description:
        "Records were not counted (retried; the task restarts after 10 failed retries) or set aside (shardWatermark counters): the log's lines give each one's errorCode. Fix the cause, then run count-set-aside for records set aside.",
    });
  return alarmsOf(scope, { topic: settings.topic, specs });
};
