import { describe, expect, it } from 'vitest';
import { firstOnly, matchesOf, regex } from '../../../src/util/regexps.js';

/** What matchAll gives, as plain data (index, groups, text) for comparison. */
const shape = (ms: Iterable<RegExpMatchArray>) => [...ms].map((m) => ({ index: m.index, all: [...m] }));

describe('matchesOf', () => {
  const cases: Array<[RegExp, string]> = [
    [/\b(\d+)\s*(gb|gib)\b/g, 'two disks: 100 gb and 250 GiB, 12 gib more'],
    [/x*/g, 'axxbx'],
    [/(?:)/gu, 'a😀b'],
    [/\p{L}+/gu, 'São Paulo and Zürich'],
    [/(?<=\$)\d+/g, 'budget $300, then $45'],
    [/nothing/g, 'no match here'],
  ];

  it.each(cases)('finds what matchAll finds for %s', (re, text) => {
    expect(shape(matchesOf(re, text))).toEqual(shape(text.matchAll(new RegExp(re.source, re.flags))));
  });

  it('finds the same matches again on the same object, and leaves lastIndex at 0', () => {
    const re = /\d+/g;
    re.lastIndex = 3;
    expect(matchesOf(re, '1 22 333').map((m) => m[0])).toEqual(['1', '22', '333']);
    expect(re.lastIndex).toBe(0);
    expect(matchesOf(re, '1 22 333').map((m) => m[0])).toEqual(['1', '22', '333']);
  });

  it('refuses a pattern without the global flag, as matchAll does', () => {
    expect(() => matchesOf(/\d+/, '1 2')).toThrow(/global pattern/);
  });
});

describe('regex', () => {
  it('gives one object per pattern and flags, with lastIndex back at 0', () => {
    const a = regex('\\d+', 'g');
    a.exec('12 34');
    expect(a.lastIndex).toBeGreaterThan(0);
    const b = regex('\\d+', 'g');
    expect(b).toBe(a);
    expect(b.lastIndex).toBe(0);
    expect(regex('\\d+', '')).not.toBe(a);
    expect(regex('\\d+', '').flags).toBe('');
  });

  it('firstOnly is the pattern without g, kept the same way', () => {
    const re = /ab+c/gi;
    const first = firstOnly(re);
    expect(first.source).toBe(re.source);
    expect(first.flags).toBe('i');
    expect(firstOnly(re)).toBe(first);
    expect(first.exec('xABBC abc')?.index).toBe(1);
  });

  it('keeps a bounded number of patterns: one built from each of 5,000 settings is not all kept', () => {
    const firstMade = regex('setting-0');
    for (let i = 1; i < 5_000; i++) regex(`setting-${i}`);
    // The oldest was dropped to stay within the bound: asking again makes a new object.
    expect(regex('setting-0')).not.toBe(firstMade);
    // A recent one is still the same object.
    expect(regex('setting-4999')).toBe(regex('setting-4999'));
  });
});
