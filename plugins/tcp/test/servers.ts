// Real local TCP servers for the tcp plugin's tests.
import net from 'node:net';

export interface LocalTcpServer {
  port: number;
  /** everything each connection sent, by connection */
  received: string[];
  close(): Promise<void>;
}

/** Listens on 127.0.0.1; `onConnection` decides what the server says and when it hangs up. */
export async function startTcpServer(
  onConnection: (socket: net.Socket, index: number) => void,
): Promise<LocalTcpServer> {
  const sockets = new Set<net.Socket>();
  const received: string[] = [];
  const server = net.createServer((socket) => {
    const index = received.push('') - 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk) => (received[index] += chunk.toString('utf8')));
    onConnection(socket, index);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = await startTcpServer(() => {});
  await server.close();
  return server.port;
}
