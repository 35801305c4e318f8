// The seam between the executor and the network: one connection, an optional write, and reading
// until the executor's predicate is satisfied. Types only: importing this loads no networking code.

export interface TcpRequest {
  host: string;
  port: number;
  /** written once connected */
  send?: string;
  /** keep reading until this holds for everything received so far; absent: close once connected (and sent) */
  until?: (received: string) => boolean;
  /** bytes read at most; reading stops there */
  maxBytes: number;
  signal: AbortSignal;
}

export interface TcpExchangeResult {
  /** present once the connection was made */
  connectMs?: number;
  /** the whole exchange, from connecting to closing */
  totalMs: number;
  received: string;
  /** `code` is Node's (ECONNREFUSED, ENOTFOUND, ABORT_ERR when the signal fired, …) */
  error?: { message: string; code?: string };
}

export type TcpTransport = (request: TcpRequest) => Promise<TcpExchangeResult>;
