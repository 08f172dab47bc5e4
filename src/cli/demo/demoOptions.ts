/** The demo command's options, as the CLI parses them. */
export interface DemoOptions {
  events: number;
  endpoint?: string | undefined;
  port?: number | undefined;
  concurrency: number;
  seed: number;
  /** With --endpoint: keep the run's tables instead of dropping them at the end. */
  keep?: boolean | undefined;
}
