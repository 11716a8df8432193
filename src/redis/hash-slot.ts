/**
 * The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key, or of its `{tag}` when the
 * key has a non-empty one, modulo 16384. Same rule as the server's CLUSTER KEYSLOT.
 */
export function hashSlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b); // '{'
  let hashed = bytes;
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1); // '}'
    if (close > open + 1) hashed = bytes.subarray(open + 1, close);
  }
  return crc16(hashed) % 16384;
}

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The keys of `keys` that are not in the first key's slot (none: one cluster node can run them together). */
export function keysOutsideSlot(keys: readonly string[]): string[] {
  if (keys.length < 2) return [];
  const slot = hashSlot(keys[0]!);
  return keys.slice(1).filter((k) => hashSlot(k) !== slot);
}
