import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

import type { AlarmSpec, PipelineAlarmSettings } from './alarmSettings.js';
import { bucketAlarmSpecs } from './deadLetterBucket.js';

export type { AlarmSpec, PipelineAlarmSettings } from './alarmSettings.js';

/** Where the handler's metrics publish: the construct sets them as the function's environment (the projection, or Powertools Metrics, reads it). */
export interface PipelineMetricsSettings {
  /** Default "CastoreCounters" (POWERTOOLS_METRICS_NAMESPACE). */
  namespace?: string;
  /** Default the construct's id (POWERTOOLS_SERVICE_NAME, Powertools' `service` dimension). */
  serviceName?: string;
}

const fiveMinutes = Duration.minutes(5);

/** The metrics settings with their defaults: "CastoreCounters", and the construct's id. */
export const metricsSettingsOf = (
  settings: PipelineMetricsSettings | undefined,
  id: string,
): Required<PipelineMetricsSettings> => ({
  namespace: settings?.namespace ?? 'CastoreCounters',
  serviceName: settings?.serviceName ?? id,
});

/** One of the metrics the projection publishes per batch (batchReport.ts), by service. */
export const projectionMetric = (
  metrics: Required<PipelineMetricsSettings>,
  metricName: string,
  { statistic = 'Sum', period = fiveMinutes }: { statistic?: string; period?: Duration } = {},
): Metric =>
  new Metric({
    namespace: metrics.namespace,
    metricName,
    dimensionsMap: { service: metrics.serviceName },
    statistic,
    period,
  });

interface AlarmTargets {
  fn: IFunction;
  /** Where the dead letters go: a queue, or the bucket of the mapping whose id is given. */
  deadLetters: { queue: IQueue } | { bucketOfMapping: string };
  metrics: Required<PipelineMetricsSettings>;
  /** Whose alarms, for their descriptions. Default the projection's. */
  consumer?: { name: string; replay: string };
}

const PROJECTION = {
  name: 'projection',
  replay:
    'drain the queue (castore-dynamodb-counter replay --queue-url) before the stream trims the records (24 h); rebuild counts what was trimmed',
};

/** The function's own metrics: how far behind it is, and whether it runs at all. */
const functionSpecs = (
  settings: PipelineAlarmSettings,
  { fn, consumer = PROJECTION }: AlarmTargets,
): (AlarmSpec | false)[] => [
  settings.iteratorAge !== false && {
    id: 'IteratorAgeAlarm',
    metric: fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
    threshold: (settings.iteratorAge ?? Duration.minutes(5)).toMilliseconds(),
    evaluationPeriods: 5,
    description: `The ${consumer.name} lags behind its stream. Look for failing batches (Errors, RecordsFailed) or throttles; raise batchSize or parallelizationFactor if it is only slow.`,
  },
  settings.functionErrors !== false && {
    id: 'FunctionErrorsAlarm',
    metric: fn.metricErrors({ period: fiveMinutes }),
    threshold: settings.functionErrors ?? 0,
    evaluationPeriods: 1,
    description: `The ${consumer.name} function failed (a crash, a timeout, RecordsNotHandled). Read its log's error lines; Lambda retries the batch.`,
  },
  settings.throttles !== false && {
    id: 'ThrottlesAlarm',
    metric: fn.metricThrottles({ period: fiveMinutes }),
    threshold: settings.throttles ?? 0,
    evaluationPeriods: 1,
    description: `The ${consumer.name} function was throttled: raise the account's or the function's concurrency.`,
  },
];

/** What was lost to the dead letter queue (or bucket), and what the handler could not count. */
const failureSpecs = (
  settings: PipelineAlarmSettings,
  { fn, deadLetters, metrics, consumer = PROJECTION }: AlarmTargets,
): (AlarmSpec | false)[] => [
  ...('queue' in deadLetters
    ? [
        settings.deadLetters !== false && {
          id: 'DeadLettersAlarm',
          metric: deadLetters.queue.metric('ApproximateNumberOfMessagesVisible', {
            statistic: 'Maximum',
            period: fiveMinutes,
          }),
          threshold: settings.deadLetters ?? 0,
          evaluationPeriods: 1,
          description: `Records failed every retry and are described in the dead letter queue: fix the cause (the error lines say it), then ${consumer.replay}.`,
        },
      ]
    : bucketAlarmSpecs(settings, {
        fn,
        mappingId: deadLetters.bucketOfMapping,
        name: consumer.name,
      })),
  settings.recordsFailed !== false &&
    recordsFailedSpec(metrics, { threshold: settings.recordsFailed, retried: 'being retried' }),
];

/** Records the handler could not count (RecordsFailed) above the threshold (default 0). */
export const recordsFailedSpec = (
  metrics: Required<PipelineMetricsSettings>,
  { threshold = 0, retried }: { threshold: number | undefined; retried: string },
): AlarmSpec => ({
  id: 'RecordsFailedAlarm',
  metric: projectionMetric(metrics, 'RecordsFailed'),
  threshold,
  evaluationPeriods: 1,
  description: `Records were not counted and are ${retried}: the log's error lines give each one's errorCode and what to do.`,
});

const specsOf = (settings: PipelineAlarmSettings, targets: AlarmTargets): AlarmSpec[] =>
  [...functionSpecs(settings, targets), ...failureSpecs(settings, targets)].filter(
    (spec): spec is AlarmSpec => spec !== false,
  );

/** The pipeline's alarms, each with what to do when it fires in its description. */
export const createAlarms = (
  scope: Construct,
  settings: PipelineAlarmSettings,
  targets: AlarmTargets,
): Alarm[] => alarmsOf(scope, { topic: settings.topic, specs: specsOf(settings, targets) });

/**
 * Alarms above their thresholds (below, with `below`), each sent to the topic with its
 * return to OK; no data is no failure unless the spec says otherwise.
 */
export const alarmsOf = (
  scope: Construct,
  { topic, specs }: { topic: ITopic | undefined; specs: AlarmSpec[] },
): Alarm[] =>
  specs.map(({ id, metric, threshold, evaluationPeriods, description, below = false }) => {
    const alarm = new Alarm(scope, id, {
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: below
        ? ComparisonOperator.LESS_THAN_THRESHOLD
        : ComparisonOperator.GREATER_THAN_THRESHOLD,
      // No data is no failure (a quiet stream invokes nothing), except where no data is
      // the failure itself: a runner that is not running publishes nothing.
      treatMissingData: below ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    if (topic !== undefined) {
      alarm.addAlarmAction(new SnsAction(topic));
      alarm.addOkAction(new SnsAction(topic));
    }
    return alarm;
  });
