/** What a command's action leaves for main() to return: its exit code. */
export interface CommandOutcome {
  exitCode: number;
}
