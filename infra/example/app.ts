import { fileURLToPath } from 'node:url';

import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import { CounterProjectionPipeline } from '../index.js';

/** A small app: `npx cdk synth` (or deploy) with cdk.json's "app" pointing here. */
export const buildExampleApp = (
  app = new App(),
): { app: App; stack: Stack; pipeline: CounterProjectionPipeline } => {
  const stack = new Stack(app, 'CastoreCounters');
  const pipeline = new CounterProjectionPipeline(stack, 'Counters', {
    handlerEntry: fileURLToPath(new URL('./handler.ts', import.meta.url)),
    // COUNT_REACHED into the event table itself: the handler's projection reads the store.
    reactions: { handlerEntry: fileURLToPath(new URL('./reactionsHandler.ts', import.meta.url)) },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, pipeline };
};

if (process.argv[1] === fileURLToPath(import.meta.url)) buildExampleApp().app.synth();
