// The tests count over the demo's domain: one definition of the two stores.
export * from '../../src/example/eventStores.js';
