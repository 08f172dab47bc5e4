import { describe, expect, it } from 'vitest';

import { emfMetricsFromEnvironment } from '../../src/counterProjection/emfMetrics.js';

const linesOf = (env: NodeJS.ProcessEnv) => {
  const lines: Record<string, unknown>[] = [];
  const metrics = emfMetricsFromEnvironment(env, (line) => lines.push(JSON.parse(line)));
  return { metrics, lines };
};

describe('emfMetrics: the projection’s metrics when the environment names a namespace', () => {
  it('publishes none without POWERTOOLS_METRICS_NAMESPACE (or with it empty)', () => {
    expect(emfMetricsFromEnvironment({})).toBeUndefined();
    expect(emfMetricsFromEnvironment({ POWERTOOLS_METRICS_NAMESPACE: '' })).toBeUndefined();
  });

  it('writes one EMF line per publish, under the namespace and the service dimension, then starts afresh', () => {
    const { metrics, lines } = linesOf({
      POWERTOOLS_METRICS_NAMESPACE: 'CastoreCounters',
      POWERTOOLS_SERVICE_NAME: 'Counts',
    });
    metrics?.addMetric('RecordsFailed', 'Count', 2);
    metrics?.addMetric('OldestRecordAge', 'Milliseconds', 40);
    metrics?.publishStoredMetrics();
    metrics?.publishStoredMetrics(); // nothing stored: no line
    metrics?.addMetric('RecordsFailed', 'Count', 0);
    metrics?.publishStoredMetrics();

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'CastoreCounters',
            Dimensions: [['service']],
            Metrics: [
              { Name: 'RecordsFailed', Unit: 'Count' },
              { Name: 'OldestRecordAge', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      service: 'Counts',
      RecordsFailed: 2,
      OldestRecordAge: 40,
    });
    expect(typeof (lines[0]?._aws as { Timestamp: unknown }).Timestamp).toBe('number');
    expect(lines[1]).toMatchObject({ RecordsFailed: 0 });
    expect(lines[1]).not.toHaveProperty('OldestRecordAge');
  });

  it('names the service as Powertools does when POWERTOOLS_SERVICE_NAME is unset', () => {
    const { metrics, lines } = linesOf({ POWERTOOLS_METRICS_NAMESPACE: 'N' });
    metrics?.addMetric('Records', 'Count', 1);
    metrics?.publishStoredMetrics();
    expect(lines[0]).toMatchObject({ service: 'service_undefined', Records: 1 });
  });
});
