import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import * as compiled from '../../../contracts/compiled-validators.js';
import { renderValidators, validatedSchemas } from '../../../contracts/render-validators.js';
import { repoPath } from '../../support/paths.js';

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);
type Validator = ((data: unknown) => boolean) & { errors?: unknown };

describe('validators compiled ahead of time from the contract schemas', () => {
  it('are up to date: contracts/compiled-validators.ts is what ajv generates from the schemas now (npm run contracts:validators)', () => {
    const file = readFileSync(repoPath('contracts', 'compiled-validators.ts'), 'utf8');
    expect(
      file === renderValidators(),
      'contracts/compiled-validators.ts is stale: run npm run contracts:validators',
    ).toBe(true);
  });

  it('exist for every schema and answer as ajv compiling the schema at run time does, errors included', () => {
    const validators = compiled as unknown as Record<string, Validator>;
    const schemas = validatedSchemas();
    expect(Object.keys(validators).sort()).toEqual(Object.keys(schemas).sort());
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const samples: unknown[] = [
      null,
      42,
      'text',
      [],
      {},
      { blueprint: 'aws-spot-ollama', stack: 'Bad Name', params: { minSize: -1 } },
      { id: 'art-0000001', type: 'PlanSpec', version: '0.1', planId: 'p-1234', producer: 'x', createdAt: 'not a time' },
      {
        id: 'art-0000001',
        type: 'PlanSpec',
        version: '0.1',
        planId: 'p-1234',
        producer: 'x',
        payload: {},
        createdAt: '2026-11-21T10:00:00.000Z',
      },
    ];
    for (const [name, schema] of Object.entries(schemas)) {
      const atRunTime = ajv.compile(schema);
      for (const sample of samples) {
        const ahead = validators[name]!;
        expect([name, ahead(sample), ahead.errors ?? null]).toEqual([
          name,
          atRunTime(sample),
          atRunTime.errors ?? null,
        ]);
      }
    }
  });
});
