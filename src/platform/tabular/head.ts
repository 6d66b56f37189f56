import type { Readable } from 'node:stream';
import { checkAborted } from './limits.js';

/**
 * The first `max` bytes of a stream, which is then closed; `truncated` when the stream had `max`
 * bytes or more (callers that must know the whole file fitted ask for one byte more than they accept).
 */
export async function readHead(source: Readable, max: number, signal?: AbortSignal): Promise<{ buf: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      checkAborted(signal);
      chunks.push(chunk);
      size += chunk.length;
      if (size >= max) return { buf: Buffer.concat(chunks).subarray(0, max), truncated: true };
    }
  } finally {
    source.destroy();
  }
  return { buf: Buffer.concat(chunks), truncated: false };
}
