import { isUtf8 } from 'node:buffer';

/**
 * Byte offset at which UTF-8 decoding fails (the length when the body ends inside a character),
 * or undefined when the bytes are valid.
 * Decoding with replacement would hand the normalizers text the sender never sent; a sender
 * that produces broken bytes is better told where. Only the error path pays for the search.
 */
export function utf8ErrorOffset(bytes: Uint8Array): number | undefined {
  if (isUtf8(bytes)) return undefined;
  if (decodesAsPrefix(bytes)) return bytes.length;
  // A streaming decoder accepts a prefix cut inside a character, so "the first n bytes decode"
  // holds up to the bad byte and fails from there on: binary search for that boundary.
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (decodesAsPrefix(bytes.subarray(0, mid))) good = mid;
    else bad = mid;
  }
  return good;
}

function decodesAsPrefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
