// The WebSocket class the agent's GraphQL subscriptions use: ws without permessage-deflate. Our
// messages are a few hundred bytes of JSON; compressing them saves nothing on the wire and costs
// a zlib deflate and inflate context (~300 KB) per connection for the agent's whole life.
import WebSocket from 'ws';

export class AgentWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols, { perMessageDeflate: false });
  }
}
