// `terraform show -json > plan.json` in Windows PowerShell 5 writes UTF-16 LE with a BOM; some
// editors save UTF-8 with a BOM. JSON itself is UTF-8, so decode by BOM (or by the NUL bytes
// UTF-16 puts beside every ASCII character) before parsing.

const utf16be = new TextDecoder('utf-16be');
const utf16le = new TextDecoder('utf-16le');
const utf8 = new TextDecoder('utf-8');

export type PlanEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export function detectPlanEncoding(bytes: Uint8Array): { encoding: PlanEncoding; bom: number } {
  const [a, b, c] = [bytes[0], bytes[1], bytes[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', bom: 2 };
  // No BOM: a JSON document starts with an ASCII character, which UTF-16 pairs with a NUL.
  if (bytes.length >= 2 && a !== 0 && b === 0) return { encoding: 'utf-16le', bom: 0 };
  if (bytes.length >= 2 && a === 0 && b !== 0) return { encoding: 'utf-16be', bom: 0 };
  return { encoding: 'utf-8', bom: 0 };
}

/** The text of a plan file in UTF-8 or UTF-16 (LE/BE), with any byte order mark removed. */
export function decodePlanText(bytes: Uint8Array): string {
  const { encoding, bom } = detectPlanEncoding(bytes);
  const body = bytes.subarray(bom);
  if (encoding === 'utf-16le') return utf16le.decode(body);
  if (encoding === 'utf-16be') return utf16be.decode(body);
  return utf8.decode(body);
}
