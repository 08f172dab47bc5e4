export { CounterReactions, type CounterReactionsOptions } from './counterReactions.js';
export { countReachedEventType } from './countReachedEventType.js';
export type { Crossing, CrossingKind } from './crossings.js';
export type { ProcessReactionsResult, ReactionStats } from './processReactions.js';
export {
  type CountReachedPayload,
  pushEventReaction,
  type Reaction,
  type ReactionEventType,
} from './reaction.js';
export { reactionsStreamFilter } from './streamFilter.js';
