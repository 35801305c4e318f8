// The real transport: a node:net socket, timed from its own events.
import net from 'node:net';
import type { TcpExchangeResult, TcpRequest, TcpTransport } from './exchange.ts';
import { networkError } from '@esmon/schema';

/** One connection; resolves with what happened, never rejects. */
export const connectTcp: TcpTransport = (request: TcpRequest) =>
  new Promise<TcpExchangeResult>((resolve) => {
    const start = performance.now();
    const socket = net.connect({ host: request.host, port: request.port });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let connectMs: number | undefined;
    let settled = false;

    const finish = (error?: TcpExchangeResult['error']) => {
      if (settled) return;
      settled = true;
      request.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({
        ...(connectMs === undefined ? {} : { connectMs }),
        totalMs: performance.now() - start,
        received: Buffer.concat(chunks).toString('utf8'),
        ...(error ? { error } : {}),
      });
    };
    function onAbort() {
      finish({ code: 'ABORT_ERR', message: 'aborted' });
    }

    socket.on('error', (err: Error & { code?: string }) => finish(networkError(err)));
    socket.once('connect', () => {
      connectMs = performance.now() - start;
      if (request.send !== undefined) socket.write(request.send, () => !request.until && finish());
      else if (!request.until) finish();
    });
    socket.on('data', (chunk: Buffer) => {
      const part = chunk.subarray(0, request.maxBytes - bytes);
      chunks.push(part);
      bytes += part.length;
      if (bytes >= request.maxBytes || request.until?.(Buffer.concat(chunks).toString('utf8'))) finish();
    });
    // the peer closed: whatever it said is all there is
    socket.once('end', () => finish());
    if (request.signal.aborted) return onAbort();
    request.signal.addEventListener('abort', onAbort, { once: true });
  });
