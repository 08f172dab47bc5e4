import type { EventStore } from '@castore/core';

import type { Counter } from '../../counterProjection/index.js';
import { CounterError } from '../../shared/index.js';
import { importUserModule } from './importUserModule.js';

export interface CountersModule {
  counters: Counter[];
  sourceEventStores: EventStore[];
  /** Where reactions push COUNT_REACHED (pushEventReaction's arguments), when the module reacts. */
  reactions?: { eventStore: EventStore; eventType: string };
}

/** A user's module exporting `counters` and `sourceEventStores`, the inputs of a CounterProjection. */
export const loadCountersModule = async (path: string): Promise<CountersModule> => {
  const loaded = await importUserModule(path);
  const exports = (
    loaded.default !== null && typeof loaded.default === 'object' && !('counters' in loaded)
      ? loaded.default
      : loaded
  ) as Record<string, unknown>;
  const { counters, sourceEventStores } = exports;
  if (!Array.isArray(counters) || counters.length === 0 || !counters.every(isCounter)) {
    throw new CounterError('CliUsage', {
      explanation: `The module ${path} does not export \`counters\`: an array of counter({ ... }) definitions.`,
    });
  }
  if (
    !Array.isArray(sourceEventStores) ||
    !sourceEventStores.every(
      (store) => typeof (store as EventStore | null | undefined)?.eventStoreId === 'string',
    )
  ) {
    throw new CounterError('CliUsage', {
      explanation: `The module ${path} does not export \`sourceEventStores\`: an array of the Castore EventStores its counters read.`,
    });
  }
  const reactions = readReactions(exports.reactions, path);
  return {
    counters,
    sourceEventStores: sourceEventStores as EventStore[],
    ...(reactions !== undefined ? { reactions } : {}),
  };
};

const readReactions = (value: unknown, path: string): CountersModule['reactions'] => {
  if (value === undefined) return undefined;
  const { eventStore, eventType } = (value ?? {}) as {
    eventStore?: EventStore;
    eventType?: unknown;
  };
  // A module's export may be anything: eventTypes too.
  const eventTypes = (eventStore as { eventTypes?: { type: string }[] } | undefined)?.eventTypes;
  const types = eventTypes?.map(({ type }) => type) ?? [];
  if (eventStore === undefined || typeof eventType !== 'string' || !types.includes(eventType))
    throw new CounterError('CliUsage', {
      explanation: `The module ${path} exports \`reactions\` that are not { eventStore, eventType }: an EventStore and one of its event types, whose payload can hold a crossing.`,
    });
  return { eventStore, eventType };
};

const isCounter = (value: unknown): value is Counter =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Counter).name === 'string' &&
  typeof (value as Counter).read === 'function';
