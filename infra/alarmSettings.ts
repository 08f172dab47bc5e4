import type { Duration } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';

// Apart from alarms.ts, so that each alarm's maker (the dead-letter bucket's too) can use them.

/** Each alarm is on by default; `false` turns one off, a value tunes its threshold. */
export interface PipelineAlarmSettings {
  /** Where every alarm (and its return to OK) is sent. Default: no action. */
  topic?: ITopic;
  /** The mapping's IteratorAge (Maximum over a minute) above this, 5 minutes in a row. Default 5 minutes. */
  iteratorAge?: Duration | false;
  /** Function errors in 5 minutes above this. Default 0. */
  functionErrors?: number | false;
  /** Function throttles in 5 minutes above this. Default 0. */
  throttles?: number | false;
  /** Messages waiting in the dead letter queue (or records written to the bucket in 5 minutes) above this. Default 0. */
  deadLetters?: number | false;
  /** With `deadLetter: 's3'`: batches not written to the bucket (dropped) in 5 minutes above this. Default 0. */
  deadLetterDeliveryFailures?: number | false;
  /** The handler's RecordsFailed metric (published where `metrics` says) in 5 minutes above this. Default 0. */
  recordsFailed?: number | false;
}

export interface AlarmSpec {
  id: string;
  metric: IMetric;
  threshold: number;
  evaluationPeriods: number;
  description: string;
  /** Fires below the threshold, and when there is no data. Default: above it. */
  below?: boolean;
}
