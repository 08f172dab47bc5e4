import type { Readable } from 'node:stream';

/**
 * Resolves once `condition` holds, checked every `intervalMs`; rejects after `timeoutMs` of
 * wall time (not of summed sleeps: a check that is itself slow counts), naming what it
 * waited for.
 */
export const waitUntil = async (
  condition: () => boolean | Promise<boolean>,
  {
    what,
    timeoutMs = 60_000,
    intervalMs = 50,
  }: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

/**
 * Resolves with everything read so far once a child's output includes `text`: an awaited
 * signal, not a poll. Rejects when the stream ends first or after `timeoutMs`.
 */
export const outputIncludes = (
  stream: Readable,
  text: string,
  timeoutMs = 60_000,
): Promise<string> =>
  new Promise((resolve, reject) => {
    let output = '';
    const done = (settle: () => void) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      settle();
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) done(() => resolve(output));
    };
    const onEnd = () =>
      done(() => reject(new Error(`the output ended without ${JSON.stringify(text)}: ${output}`)));
    const timer = setTimeout(
      () =>
        done(() => reject(new Error(`no ${JSON.stringify(text)} in ${timeoutMs} ms: ${output}`))),
      timeoutMs,
    );
    stream.on('data', onData);
    stream.once('end', onEnd);
  });
