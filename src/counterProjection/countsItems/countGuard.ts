import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import type { CounterIdempotency } from '../counter.js';
import type { COUNTS_ATTRIBUTES } from './countsAttributes.js';

/**
 * What a write through refs of a total or a window bucket checks and records, so that an
 * item is only ever counted one way: the kind of counter that counted it (a key counted
 * through refs is never counted through shard marks, or the reverse), and for a shardWatermark
 * counter being rebuilt, the rebuild it is written under (see watermarkedUpdate.ts).
 */
export interface CountGuard {
  idempotency: CounterIdempotency;
  /** The rebuild mark seen for the counter (shardWatermark counters): written and checked. */
  rebuildId?: string | undefined;
}

export interface GuardClauses {
  set: string[];
  condition: string[];
  names: (keyof typeof COUNTS_ATTRIBUTES)[];
  values: Record<string, AttributeValue>;
}

// The clauses of one guard are the same for every write under it: built once.
const clausesByGuard = new Map<string, GuardClauses>();

export const guardClauses = (guard: CountGuard): GuardClauses => {
  const id = `${guard.idempotency}#${guard.rebuildId ?? ''}`;
  let clauses = clausesByGuard.get(id);
  if (clauses === undefined) {
    if (clausesByGuard.size > 1_000) clausesByGuard.clear();
    clauses = buildClauses(guard);
    clausesByGuard.set(id, clauses);
  }
  return clauses;
};

const buildClauses = ({ idempotency, rebuildId }: CountGuard): GuardClauses => {
  if (idempotency === 'refs')
    return {
      set: [],
      condition: ['attribute_not_exists(#idempotency)'],
      names: ['idempotency'],
      values: {},
    };
  const rebuilt = rebuildId !== undefined;
  return {
    set: ['#idempotency = :idempotency', ...(rebuilt ? ['#rebuildId = :rebuildId'] : [])],
    condition: [
      '(attribute_not_exists(#count) OR #idempotency = :idempotency)',
      // Under a rebuild: an item counted through marks without that rebuild (a batch that had
      // not seen its mark yet) may hold the same events: refused, never counted twice.
      ...(rebuilt
        ? [
            '((attribute_not_exists(#watermarked) AND attribute_not_exists(#rebuildId)) OR #rebuildId = :rebuildId)',
          ]
        : []),
    ],
    names: ['idempotency', 'count', ...(rebuilt ? (['watermarked', 'rebuildId'] as const) : [])],
    values: {
      ':idempotency': { S: idempotency },
      ...(rebuilt ? { ':rebuildId': { S: rebuildId } } : {}),
    },
  };
};
