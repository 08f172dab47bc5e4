/** A deterministic, realistic mix of operations on two stores, `events` events in all. */
export type PlannedEvent =
  | {
      store: 'users';
      aggregateId: string;
      version: number;
      type: 'USER_SIGNED_UP';
      payload: { plan: 'free' | 'pro' };
      metadata: { source: string };
    }
  | {
      store: 'users';
      aggregateId: string;
      version: number;
      type: 'USER_UPGRADED';
      payload: Record<string, never>;
    }
  | {
      store: 'orders';
      aggregateId: string;
      version: number;
      type: 'ORDER_PLACED';
      payload: { customerId: string; country: string; quantity: number };
    }
  | {
      store: 'orders';
      aggregateId: string;
      version: number;
      type: 'ORDER_SHIPPED';
      payload: { carrier: string };
    }
  | { store: 'orders'; aggregateId: string; version: number; type: 'ORDER_CANCELLED' };

/** One push: a single event, or a group pushed in one transaction. */
export type Operation = PlannedEvent[];

const COUNTRIES = ['FR', 'DE', 'ES', 'IT', 'US', 'GB', 'JP'];
const CARRIERS = ['ups', 'dhl', 'fedex'];

// mulberry32: a seeded generator, so that a run can be repeated (the chaos runs use it too).
export const seededRandom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// One seeded generator threads through these helpers and the open orders and free users
// they share: split into functions of their own, each would take all of that as arguments.

/* eslint-disable max-lines-per-function -- one seeded generator threads through these
   helpers and the open orders and free users they share: split into functions of their
   own, each would take all of that as arguments. */
export const planWorkload = ({
  events,
  seed = 42,
}: {
  events: number;
  seed?: number;
}): Operation[] => {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const freeUsers: string[] = [];
  const openOrders: { id: string; version: number }[] = [];
  const operations: Operation[] = [];
  let planned = 0;
  let ids = 0;

  const placeOrder = (customerId: string): PlannedEvent => {
    const id = `order-${++ids}`;
    openOrders.push({ id, version: 1 });
    return {
      store: 'orders',
      aggregateId: id,
      version: 1,
      type: 'ORDER_PLACED',
      payload: { customerId, country: pick(COUNTRIES), quantity: 1 + Math.floor(next() * 5) },
    };
  };
  const signUp = (): PlannedEvent => {
    const id = `user-${++ids}`;
    const plan = next() < 0.7 ? 'free' : 'pro';
    if (plan === 'free') freeUsers.push(id);
    return {
      store: 'users',
      aggregateId: id,
      version: 1,
      type: 'USER_SIGNED_UP',
      payload: { plan },
      metadata: { source: pick(['web', 'ios', 'android']) },
    };
  };
  const closeOrder = (): PlannedEvent | undefined => {
    const order = openOrders.splice(Math.floor(next() * openOrders.length), 1)[0];
    if (order === undefined) return undefined;
    const version = order.version + 1;
    return next() < 0.6
      ? {
          store: 'orders',
          aggregateId: order.id,
          version,
          type: 'ORDER_SHIPPED',
          payload: { carrier: pick(CARRIERS) },
        }
      : { store: 'orders', aggregateId: order.id, version, type: 'ORDER_CANCELLED' };
  };

  while (planned < events) {
    const roll = next();
    let operation: Operation | undefined;
    if (roll < 0.15 && events - planned >= 2) {
      const user = signUp();
      operation = [user, placeOrder(user.aggregateId)]; // a sign-up and its first order, atomically
    } else if (roll < 0.3) operation = [signUp()];
    else if (roll < 0.35 && freeUsers.length > 0) {
      const id = freeUsers.splice(Math.floor(next() * freeUsers.length), 1)[0] as string;
      operation = [
        { store: 'users', aggregateId: id, version: 2, type: 'USER_UPGRADED', payload: {} },
      ];
    } else if (roll < 0.75 || openOrders.length === 0)
      operation = [placeOrder(`guest-${Math.floor(next() * 1000)}`)];
    else {
      const closing = closeOrder();
      operation = closing === undefined ? undefined : [closing];
    }
    if (operation === undefined) continue;
    operations.push(operation);
    planned += operation.length;
  }
  return operations;
};
/* eslint-enable max-lines-per-function */
