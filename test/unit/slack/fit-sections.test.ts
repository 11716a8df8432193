import { describe, expect, it } from 'vitest';
import { section } from '../../../src/slack/render/block-kit.js';
import { fitRows, fitSections, type MessageSection } from '../../../src/slack/render/fit-sections.js';
import { renderReview } from '../../../src/slack/render/render-review.js';
import { REVIEW_SECTIONS, type ReviewSection } from '../../../src/slack/render/review-sections.js';
import { replyChunks } from '../../../src/slack/render/render-replies.js';
import { bigPlan } from '../../support/plan-fixtures.js';

const part = (id: string, priority: number, chars: number, extra: Partial<MessageSection> = {}): MessageSection => ({
  id,
  priority,
  blocks: [section(id.padEnd(chars, '.'))],
  ...extra,
});

describe('fitSections', () => {
  it('gives way lowest priority first: the short form, then the section; required ones stay, order kept', () => {
    const budget = { blocks: 50, jsonChars: 2_000 };
    const r = fitSections(
      [
        part('title', 100, 100, { required: true }),
        part('low', 10, 1000),
        part('mid', 50, 1000, { short: [section('mid short')] }),
        part('high', 90, 1000),
      ],
      budget,
    );
    expect(r.dropped).toEqual(['low']);
    expect(r.shortened).toEqual(['mid']);
    expect(r.cut).toBe(true);
    expect(r.blocks.map((b) => JSON.stringify(b).slice(35, 44))).toEqual([
      JSON.stringify(section('title')).slice(35, 44),
      JSON.stringify(section('mid short')).slice(35, 44),
      JSON.stringify(section('high')).slice(35, 44),
    ]);
    expect(JSON.stringify(r.blocks).length).toBeLessThanOrEqual(2_000);
    const fits = fitSections([part('a', 1, 10), undefined, part('b', 1, 10)], budget);
    expect([fits.cut, fits.blocks.length]).toEqual([false, 2]);
  });

  it('keeps the block count a hard limit', () => {
    const many = Array.from({ length: 60 }, (_, i) => part(`s${i}`, i, 5));
    const r = fitSections(many);
    expect(r.blocks).toHaveLength(50);
    // The ten lowest priorities went.
    expect(r.dropped).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`));
  });

  it('fits whole rows and says how many are left', () => {
    const r = fitRows('head', ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)], (n) => `+${n}`, 100);
    expect(r).toEqual({ text: `head\n${'a'.repeat(40)}\n${'b'.repeat(40)}\n+1`, shown: 2 });
  });
});

describe('adding a review section', () => {
  it('is one entry in the list, placed and budgeted like the others', () => {
    const { plan, changes } = bigPlan(200, 500);
    const provenance: ReviewSection = ({ plan: p }) => ({
      id: 'provenance',
      priority: 85,
      blocks: [section(`*Provenance:* built from ${p.id}`)],
    });
    const sections = [...REVIEW_SECTIONS.slice(0, 4), provenance, ...REVIEW_SECTIONS.slice(4)];
    const r = renderReview(plan, changes, { sections });
    const json = JSON.stringify(r.blocks);
    expect(json).toContain('*Provenance:* built from p-bigplan1');
    expect(json.indexOf('Provenance')).toBeLessThan(json.indexOf('*Sentinel:*'));
    expect(json.length).toBeLessThanOrEqual(11_000);
    expect(r.truncated).toBe(true);
  });
});

describe('replyChunks', () => {
  it('puts a burst in one reply and splits only past a section’s worth of text, in order', () => {
    const notes = Array.from({ length: 5 }, (_, i) => ({ from: 'A', to: 'B', detail: `n${i}` }));
    expect(replyChunks(notes, 'B')).toEqual([
      { text: notes.map((n) => `\`A\` → \`B\`: ${n.detail}`).join('\n'), count: 5 },
    ]);
    const long = Array.from({ length: 10 }, (_, i) => ({ to: 'B', detail: `${i}`.padEnd(900, 'x') }));
    const chunks = replyChunks([...long, undefined], 'B');
    expect(chunks.map((c) => c.count)).toEqual([3, 3, 3, 2]);
    expect(chunks.every((c) => c.text.length <= 3000)).toBe(true);
    expect(chunks.flatMap((c) => c.text.split('\n')).map((l) => /: (\d)/.exec(l)?.[1])).toEqual(
      Array.from({ length: 10 }, (_, i) => `${i}`),
    );
  });
});
