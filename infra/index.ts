export type { CounterProjectionPipelineProps } from './counterProjectionPipeline.js';
export { CounterProjectionPipeline } from './counterProjectionPipeline.js';
export type { TableSettings } from './tables.js';
