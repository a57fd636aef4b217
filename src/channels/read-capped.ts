import type { Readable } from 'node:stream';

/** The start of a stream, at most `maxBytes` of it, and whether more was on the way. */
export interface CappedRead {
  bytes: Buffer;
  /** The stream held more than maxBytes: `bytes` is its start and the rest was never read. */
  cut: boolean;
}

/**
 * Reads a stream up to `maxBytes` and stops it there, so an endless or huge answer costs at
 * most that much memory. A stream error (a reset, our abort) rejects with that error.
 */
export async function readCapped(stream: Readable, maxBytes: number): Promise<CappedRead> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the stream, which closes the connection to the provider.
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    if (size + bytes.length > maxBytes) {
      chunks.push(bytes.subarray(0, maxBytes - size));
      return { bytes: Buffer.concat(chunks), cut: true };
    }
    chunks.push(bytes);
    size += bytes.length;
  }
  return { bytes: Buffer.concat(chunks), cut: false };
}
