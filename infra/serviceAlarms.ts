import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { FargateService } from 'aws-cdk-lib/aws-ecs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

import {
  alarmsOf,
  type AlarmSpec,
  type PipelineMetricsSettings,
  projectionMetric,
  recordsFailedSpec,
} from './alarms.js';

/** The runner service's alarms, each on by default; `false` turns one off, a value tunes it. */
export interface ServiceAlarmSettings {
  /** Where every alarm (and its return to OK) is sent. Default: no action. */
  topic?: ITopic;
  /** No runner task reporting for 5 minutes in a row (the service's CPU samples). Default on. */
  notRunning?: false;
  /** The batches' OldestRecordAge (Maximum over a minute) above this, 5 minutes in a row. Default 5 minutes. */
  lag?: Duration | false;
  /** RecordsFailed in 5 minutes above this. Default 0. */
  recordsFailed?: number | false;
  /** RecordsSkippedSetAside (shardWatermark counters) in 5 minutes above this. Default 0. */
  recordsSetAside?: number | false;
}

const specs = (
  settings: ServiceAlarmSettings,
  { service, metrics }: { service: FargateService; metrics: Required<PipelineMetricsSettings> },
): (AlarmSpec | false)[] => [
  settings.notRunning !== false && {
    id: 'RunnerNotRunningAlarm',
    metric: service.metricCpuUtilization({ statistic: 'SampleCount', period: Duration.minutes(1) }),
    threshold: 1,
    evaluationPeriods: 5,
    below: true,
    description:
      "No runner task has run for 5 minutes: nothing is counted. The service's events and stopped tasks say why (an image that does not start, a table that is missing); counting resumes from the checkpoints once it runs.",
  },
  settings.lag !== false && {
    id: 'LagAlarm',
    metric: projectionMetric(metrics, 'OldestRecordAge', {
      statistic: 'Maximum',
      period: Duration.minutes(1),
    }),
    threshold: (settings.lag ?? Duration.minutes(5)).toMilliseconds(),
    evaluationPeriods: 5,
    description:
      "The runner lags behind its stream: a batch that keeps failing (RecordsFailed, the log's lines), throttling, or a task too small; raise batchSize or the task's CPU if it is only slow.",
  },
  settings.recordsFailed !== false &&
    recordsFailedSpec(metrics, {
      threshold: settings.recordsFailed,
      retried: 'being retried (after 10 failed retries the task restarts from its checkpoint)',
    }),
  settings.recordsSetAside !== false && {
    id: 'RecordsSetAsideAlarm',
    metric: projectionMetric(metrics, 'RecordsSkippedSetAside'),
    threshold: settings.recordsSetAside ?? 0,
    evaluationPeriods: 1,
    description:
      "Records of shardWatermark counters failed for a reason of their own and were set aside: the log's lines say why; fix the cause, then run castore-dynamodb-counter count-set-aside.",
  },
];

/** The runner service's alarms, each with what to do when it fires in its description. */
export const createServiceAlarms = (
  scope: Construct,
  settings: ServiceAlarmSettings,
  targets: { service: FargateService; metrics: Required<PipelineMetricsSettings> },
): Alarm[] =>
  alarmsOf(scope, {
    topic: settings.topic,
    specs: specs(settings, targets).filter((spec): spec is AlarmSpec => spec !== false),
  });
