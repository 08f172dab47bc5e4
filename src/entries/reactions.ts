// The `/reactions` entry: react when a count reaches a threshold, a floor or a target.
export {
  CounterReactions,
  type CounterReactionsOptions,
  countReachedEventType,
  type CountReachedPayload,
  type Crossing,
  type CrossingKind,
  type ProcessReactionsResult,
  pushEventReaction,
  type Reaction,
  type ReactionEventType,
  reactionsStreamFilter,
  type ReactionStats,
} from '../counterReactions/index.js';
