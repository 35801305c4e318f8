// Commands to agents over the channel they already hold open (their agentCommands
// subscription): run a probe now and return its per-step trace, reload the configuration, ping.
// The server publishes the command to the host's topic and waits for the agent's answer
// (reportAgentCommand) up to a deadline. Which agents are connected is known per server process.
import { randomUUID } from 'node:crypto';
import type { AgentCommand, EventBus } from '../events/bus.ts';

export class AgentCommandError extends Error {
  override name = 'AgentCommandError';
}

/** Connected command subscriptions per host id, per server (its bus). */
const connections = new WeakMap<EventBus, Map<number, number>>();

function connectedOn(bus: EventBus): Map<number, number> {
  let map = connections.get(bus);
  if (!map) connections.set(bus, (map = new Map()));
  return map;
}

export function agentConnected(bus: EventBus, hostId: number, delta: 1 | -1): void {
  const connected = connectedOn(bus);
  const n = (connected.get(hostId) ?? 0) + delta;
  if (n <= 0) connected.delete(hostId);
  else connected.set(hostId, n);
}

export function isAgentConnected(bus: EventBus, hostId: number): boolean {
  return (connectedOn(bus).get(hostId) ?? 0) > 0;
}

/** What to send; a function of the command's id when the command must name it (a signed runProbe). */
export type CommandOf = Omit<AgentCommand, 'id'> | ((id: string) => Omit<AgentCommand, 'id'>);

/** Sends `command` to the agent of `hostId` and resolves with its answer, or throws on silence. */
export async function commandAgent(bus: EventBus, hostId: number, command: CommandOf, timeoutMs: number): Promise<unknown> {
  if (!isAgentConnected(bus, hostId)) throw new AgentCommandError(`the agent of host ${hostId} is not connected`);
  const id = randomUUID();
  const answers = bus.subscribe('agentCommandResults', id)[Symbol.asyncIterator]();
  const deadline = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  try {
    let answer = answers.next();
    bus.publish('agentCommands', hostId, { ...(typeof command === 'function' ? command(id) : command), id });
    for (;;) {
      const first = await Promise.race([answer, deadline]);
      if (first === 'timeout') throw new AgentCommandError(`the agent of host ${hostId} did not answer within ${Math.round(timeoutMs / 1000)} s`);
      if (first.done) throw new AgentCommandError('the server is stopping');
      // only the agent the command went to may answer it: another host's key is ignored
      if (first.value.hostId !== hostId) {
        answer = answers.next();
        continue;
      }
      const { ok, result } = first.value;
      if (!ok) throw new AgentCommandError(`the agent refused: ${typeof result === 'string' ? result : JSON.stringify(result)}`);
      return result;
    }
  } finally {
    void answers.return?.();
  }
}
