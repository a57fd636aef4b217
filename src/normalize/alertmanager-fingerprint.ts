// Same algorithm as Alertmanager's own fingerprint (prometheus/common model.LabelSet.Fingerprint):
// FNV-1a 64 over the sorted label names and values, each followed by the 0xff separator byte,
// printed as 16 hex digits. A computed fallback therefore equals what Alertmanager would have sent.
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
const SEPARATOR = 0xff;

function addBytes(hash: bigint, bytes: Iterable<number>): bigint {
  let h = hash;
  for (const byte of bytes) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  return h;
}

export function labelsFingerprint(labels: Readonly<Record<string, string>>): string {
  // Label names are ASCII ([a-zA-Z_][a-zA-Z0-9_]*), so code-unit order equals Go's byte order.
  const names = Object.keys(labels).sort();
  let hash = FNV_OFFSET;
  for (const name of names) {
    hash = addBytes(hash, Buffer.from(name, 'utf8'));
    hash = addBytes(hash, [SEPARATOR]);
    hash = addBytes(hash, Buffer.from(labels[name] ?? '', 'utf8'));
    hash = addBytes(hash, [SEPARATOR]);
  }
  return hash.toString(16).padStart(16, '0');
}
