export { CounterProjectionPipeline } from './counterProjectionPipeline.js';
export type { CounterProjectionPipelineProps } from './counterProjectionPipeline.js';
export type { TableSettings } from './tables.js';
