import { isCounterError } from '../../src/index.js';

/** The InvalidOption a construct throws at synth; fails when it throws nothing, or another error. */
export const synthRefusal = (build: () => unknown) => {
  try {
    build();
  } catch (error) {
    if (isCounterError(error, 'InvalidOption')) return error;
    throw error;
  }
  throw new Error('not refused');
};
