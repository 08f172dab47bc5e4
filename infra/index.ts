export type { PipelineAlarmSettings, PipelineMetricsSettings } from './alarms.js';
export type { CounterProjectionPipelineProps } from './counterProjectionPipeline.js';
export { CounterProjectionPipeline } from './counterProjectionPipeline.js';
export type { TableInput } from './existingTables.js';
export { PipelineReactions, type ReactionsSettings } from './reactions.js';
export type { ConsumerFunctionSettings, EventSourceSettings } from './streamConsumer.js';
export type { TableSettings } from './tables.js';
