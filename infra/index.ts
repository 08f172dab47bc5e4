export type { PipelineAlarmSettings, PipelineMetricsSettings } from './alarms.js';
export type { CounterProjectionPipelineProps } from './counterProjectionPipeline.js';
export { CounterProjectionPipeline } from './counterProjectionPipeline.js';
export type { TableSettings } from './tables.js';
