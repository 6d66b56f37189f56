import { Worker } from 'node:worker_threads';
import { EncodingError, firstBadByte, MAYBE_NOT_NFC } from './decode.js';

/** Bytes per read; the reader keeps at most `AHEAD` chunks the loader has not taken yet (memory stays bounded). */
const READ = 4 << 20;
const AHEAD = 3;

/**
 * The worker's program (CommonJS, as an eval'd worker runs): decodeChunks' UTF-8 path — chunks cut at
 * line ends, the byte-order mark dropped, checked as UTF-8 and normalised to NFC only when they may
 * not be — over a file it reads itself with synchronous reads (its own thread: no wait for the
 * libuv pool, which a busy machine schedules late). Each chunk's memory is handed over, not copied.
 * The checks are decode.ts's own functions, written into the program.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { isUtf8 } = require('node:buffer');
const MAYBE_NOT_NFC = new RegExp(${JSON.stringify(MAYBE_NOT_NFC.source)});
${firstBadByte.toString()}
const { path, read, ahead } = workerData;
let credit = ahead;
let wake = null;
parentPort.on('message', (n) => { credit += n; if (wake) { const w = wake; wake = null; w(); } });
const fd = fs.openSync(path, 'r');
(async () => {
  let carry = Buffer.alloc(0);
  let offset = 0;
  let position = 0;
  let first = true;
  const send = async (buf) => {
    if (first) { first = false; if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) { buf = buf.subarray(3); offset += 3; } }
    if (!isUtf8(buf)) throw Object.assign(new Error('utf8'), { at: offset + firstBadByte(buf) });
    const size = buf.length;
    // The read's own memory is handed over as it is; a normalised chunk is copied into memory of its own first (a small
    // Buffer.from may sit in the worker's shared pool, which must not be handed away).
    let out = buf;
    if (MAYBE_NOT_NFC.test(buf.toString('latin1'))) {
      const nfc = Buffer.from(buf.toString('utf8').normalize('NFC'), 'utf8');
      out = Buffer.allocUnsafeSlow(nfc.length);
      nfc.copy(out);
    }
    while (credit <= 0) await new Promise((r) => (wake = r));
    credit--;
    offset += size;
    parentPort.postMessage({ chunk: out, read: position }, [out.buffer]);
  };
  for (;;) {
    const buf = Buffer.allocUnsafeSlow(carry.length + read);
    carry.copy(buf);
    const n = fs.readSync(fd, buf, carry.length, read, position);
    position += n;
    const have = buf.subarray(0, carry.length + n);
    if (n === 0) { if (have.length) await send(have); break; }
    const cut = have.lastIndexOf(10) + 1;
    if (cut === 0) { carry = Buffer.from(have); continue; }
    carry = Buffer.from(have.subarray(cut));
    await send(have.subarray(0, cut));
  }
  parentPort.postMessage({ end: true, read: position });
})().catch((e) => parentPort.postMessage({ error: e.message, at: e.at ?? null })).finally(() => fs.closeSync(fd));
`;

/**
 * A stored UTF-8 file as decodeChunks gives it, read and checked in a worker thread: the loader's
 * thread only parses and encodes, and the reading overlaps with it on the machine's other core.
 * `onRead` is told how many bytes of the file have been read (the load's progress).
 */
export async function* decodeFileInWorker(path: string, onRead: (bytes: number) => void = () => {}): AsyncGenerator<Buffer> {
  const worker = new Worker(PROGRAM, { eval: true, workerData: { path, read: READ, ahead: AHEAD } });
  const queue: { chunk?: Uint8Array; read?: number; end?: boolean; error?: string; at?: number | null }[] = [];
  let notify: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: (typeof queue)[number]) => {
    queue.push(m);
    notify?.();
  });
  worker.on('error', (e) => {
    failure = e;
    notify?.();
  });
  try {
    for (;;) {
      while (!queue.length && !failure) await new Promise<void>((r) => (notify = r));
      notify = null;
      if (failure) throw failure;
      const m = queue.shift()!;
      if (m.error !== undefined) throw m.at !== null && m.at !== undefined ? new EncodingError(m.at) : new Error(m.error);
      if (m.read !== undefined) onRead(m.read);
      if (m.end) return;
      worker.postMessage(1);
      yield Buffer.from(m.chunk!.buffer, m.chunk!.byteOffset, m.chunk!.byteLength);
    }
  } finally {
    await worker.terminate();
  }
}
