import net from 'node:net';

/**
 * A TCP proxy between the app and a database server, for outage tests. `cut()` destroys every
 * connection through it and drops new ones at once (the database is unreachable); `restore()`
 * forwards again. `cutAt(n)` arms a cut on the n-th chunk the clients send from now on, so a
 * sweep over n cuts a request at every point of its conversation with the database (inside a
 * transaction, at COMMIT …). With `deliver: true` that chunk still reaches the server and the
 * cut falls on its answer: the server did the work (a COMMIT committed) but the app never hears.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let down = false;
  let armed: { remaining: number; deliver: boolean } | null = null;
  let cuts = 0;

  const cut = () => {
    down = true;
    armed = null;
    cuts++;
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    let cutOnAnswer = false;
    client.on('data', (chunk: Buffer) => {
      if (down) return;
      if (process.env.TCP_PROXY_TRACE) console.log('client chunk', armed?.remaining, JSON.stringify(chunk.toString('latin1').replace(/[^\x20-\x7e]/g, '.').slice(0, 160)));
      if (armed && --armed.remaining === 0) {
        if (!armed.deliver) {
          cut();
          return;
        }
        armed = null;
        cutOnAnswer = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (down) return;
      if (cutOnAnswer) {
        cut();
        return;
      }
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    /** The database becomes unreachable: open connections die, new ones are dropped. */
    cut,
    /** Reachable again. */
    restore: () => {
      down = false;
      armed = null;
    },
    /** Cut on the n-th client chunk from now (n >= 1); see above for `deliver`. */
    cutAt: (n: number, opts: { deliver?: boolean } = {}) => {
      armed = { remaining: n, deliver: opts.deliver ?? false };
    },
    /** How many cuts have happened (an armed cut that fired counts). */
    cuts: () => cuts,
    isDown: () => down,
    close: () => {
      cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
