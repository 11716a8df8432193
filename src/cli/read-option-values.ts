// Option values people type: read strictly, so "0x10" is not $16, "" is not $0 and an empty
// --stack is not silently the default stack.

import { ok, refuse, type Result } from '../errors.js';

export type OptionValue<T> = Result<T, 'bad-input'>;

const USD = /^\$?\d{1,10}(?:\.\d+)?$/;
const USD_HINT = 'write a plain decimal number such as 300 or $300.50';
export const STACK_NAME = /^[a-z][a-z0-9-]{0,39}$/;
export const STACK_RULE = 'use lowercase letters, digits and dashes, starting with a letter (max 40)';

/**
 * A USD amount: digits with an optional fraction and leading `$`. A budget must be greater
 * than 0 (`allowZero: false`): a $0 budget would brake every plan that costs anything, and
 * leaving the option out already means "no budget". Spend already committed may be 0.
 */
export function readUsd(raw: string, flag: string, o: { allowZero: boolean }): OptionValue<number> {
  if (raw.trim() === '') return refuse('bad-input', `${flag} "${raw}" is empty: ${USD_HINT}`);
  if (!USD.test(raw)) return refuse('bad-input', `${flag} ${raw} is not an amount in USD: ${USD_HINT}`);
  const value = Number(raw.replace(/^\$/, ''));
  if (value > 1e9) return refuse('bad-input', `${flag} ${raw} is not an amount in USD: at most 1000000000`);
  if (value === 0 && !o.allowZero) {
    return refuse(
      'bad-input',
      `${flag} ${raw} is not a usable budget: a $0 budget would brake every plan that costs anything; give an amount greater than 0, or leave ${flag} out for no budget`,
    );
  }
  return ok(value);
}

/** A stack name given as an option; an empty one is refused rather than ignored. */
export function readStackName(raw: string, flag = '--stack'): OptionValue<string> {
  if (raw === '') return refuse('bad-input', `${flag} "" is empty: ${STACK_RULE}`);
  if (!STACK_NAME.test(raw))
    return refuse('bad-input', `${flag} "${raw.slice(0, 80)}" is not a valid stack name: ${STACK_RULE}`);
  return ok(raw);
}
