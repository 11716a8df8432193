import { connect, createServer, type Socket } from 'node:net';

/** A TCP relay the test runs: connections to `host:port` are piped to `to`. */
export interface TcpForwarder {
  host: string;
  port: number;
  /** Connections relayed so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * Makes a server that listens only on loopback reachable from the test's network namespaces:
 * listens on `host` (an address of the root namespace) and relays each connection to `to`. A
 * side that closes or fails closes the other, so a server dropping a connection is seen as such.
 */
export async function startTcpForwarder(host: string, to: { host: string; port: number }): Promise<TcpForwarder> {
  const open = new Set<Socket>();
  let relayed = 0;
  const server = createServer((client) => {
    relayed++;
    const upstream = connect(to.port, to.host);
    open.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    host,
    port,
    connections: () => relayed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
