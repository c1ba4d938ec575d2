/** The bundled Amazon simulator (LWA, SP-API Reports/Finances/Inbound, a case log). */
export { createSimulator, SIMULATOR_APPLICATION_ID, SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET, startSimulator, type Simulator, type SimulatorOptions, type StartedSimulator } from './app.js';
export { clarioEnvironment, DEMO_SELLER_ID, runSimulatorCommand, type SimulatorIo } from './command.js';
export type { SimulatedSeller } from './state.js';
export type { UsagePlan, UsagePlanOverrides } from './usage-plans.js';
