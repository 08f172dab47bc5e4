import type { ProjectionMetrics } from './batchReport.js';

/** Set by CounterProjectionPipeline (and read by Powertools Metrics): the metrics' namespace. */
export const METRICS_NAMESPACE_ENV = 'POWERTOOLS_METRICS_NAMESPACE';
/** The `service` dimension, as Powertools names it; its default when unset is Powertools' too. */
export const METRICS_SERVICE_ENV = 'POWERTOOLS_SERVICE_NAME';

type MetricUnit = Parameters<ProjectionMetrics['addMetric']>[1];

/**
 * The projection's metrics as Powertools Metrics writes them, without it: each batch's
 * figures as one line of CloudWatch's Embedded Metric Format on stdout, under the namespace
 * and the dimension `service`, which CloudWatch Logs turns into metrics (Lambda's logs, ECS's
 * awslogs driver). Written here rather than loaded from Powertools (an optional peer) so that
 * a handler or a task publishes what its alarms read with nothing more to install.
 */
export const emfMetrics = (
  { namespace, serviceName }: { namespace: string; serviceName: string },
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): ProjectionMetrics => {
  let stored = new Map<string, { unit: MetricUnit; value: number }>();
  return {
    addMetric: (name, unit, value) => {
      stored.set(name, { unit, value: (stored.get(name)?.value ?? 0) + value });
    },
    publishStoredMetrics: () => {
      if (stored.size === 0) return;
      const metrics = [...stored];
      stored = new Map();
      const aws = {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: namespace,
            Dimensions: [['service']],
            Metrics: metrics.map(([Name, { unit }]) => ({ Name, Unit: unit })),
          },
        ],
      };
      const values = Object.fromEntries(metrics.map(([name, { value }]) => [name, value]));
      write(JSON.stringify({ _aws: aws, service: serviceName, ...values }));
    },
  };
};

/**
 * The projection's metrics when none are given: EMF lines when the environment names a
 * namespace, as CounterProjectionPipeline's function has it, so that the alarms it creates
 * are fed by the handler module the docs show, which passes no `metrics`. Else none.
 */
export const emfMetricsFromEnvironment = (
  env: NodeJS.ProcessEnv = process.env,
  write?: (line: string) => void,
): ProjectionMetrics | undefined => {
  const namespace = env[METRICS_NAMESPACE_ENV];
  if (namespace === undefined || namespace === '') return undefined;
  const serviceName = env[METRICS_SERVICE_ENV] || 'service_undefined';
  return emfMetrics({ namespace, serviceName }, write);
};
