/** What the simulators write to the host's log: the slice of pino's logger they use, declared here so they import nothing from Clario. */
export interface SimulatorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
