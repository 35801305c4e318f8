// Where the probe side of the agent reports: the agent's log, or a test's recording.
export interface ProbeLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
