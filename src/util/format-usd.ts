/** "$142.39", "-$48.31": dollars and cents, the sign before the dollar sign. */
export function usd(n: number): string {
  return `${n < 0 ? '-' : ''}$${Math.abs(n).toFixed(2)}`;
}

/** "+$142.39", "-$48.31", "+$0.00": a difference, always signed. */
export function signedUsd(n: number): string {
  return `${n < 0 ? '-' : '+'}$${Math.abs(n).toFixed(2)}`;
}
