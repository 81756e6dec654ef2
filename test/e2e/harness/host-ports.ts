import * as net from 'net';

/** What a TCP connection to a loopback port of the host got. */
export type TcpAnswer = { readonly refused: true } | { readonly refused: false; readonly reply: Buffer };

/**
 * Connects to `port` on 127.0.0.1, writes `request` and returns what the server answered within
 * `timeoutMs` (an empty reply if it answered nothing), or `refused` when nothing listens there.
 */
export function askTcp(port: number, request: Buffer | string, timeoutMs = 3000): Promise<TcpAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = () => {
      socket.destroy();
      resolve({ refused: false, reply: Buffer.concat(chunks) });
    };
    socket.setTimeout(timeoutMs, done);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // One answer is enough: the protocols asked here answer in one short message.
      setTimeout(done, 100);
    });
    socket.on('end', done);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve({ refused: true });
      else if (error.code === 'ECONNRESET') done();
      else reject(error);
    });
  });
}

/** Redis's answer to PING on a host port: `+PONG` (or an error such as NOAUTH), or `refused`. */
export async function redisPing(port: number): Promise<string> {
  const answer = await askTcp(port, 'PING\r\n');
  return answer.refused ? 'refused' : answer.reply.toString('utf8').trim();
}

/**
 * PostgreSQL's answer to an SSLRequest on a host port: `N` or `S` from a PostgreSQL server, or
 * `refused`. The first message of every libpq connection, so the port is the server's.
 */
export async function postgresSslAnswer(port: number): Promise<string> {
  const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
  const answer = await askTcp(port, sslRequest);
  return answer.refused ? 'refused' : answer.reply.toString('latin1');
}
