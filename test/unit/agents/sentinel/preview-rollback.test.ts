import { describe, expect, it } from 'vitest';
import { previewRollback } from '../../../../src/agents/sentinel/preview-rollback.js';
import { rollbackPreviewOf } from '../../../../src/plan/describe-rollback.js';
import { evaluate, planOf, type ChangeSpec } from './plan-builder.js';

// The rollback preview is derived from the plan's own resource changes and Sentinel's cost
// estimate: these pin down the reverse of each kind of change and what is labelled irreversible.

function preview(changes: ChangeSpec[]) {
  const validation = evaluate(changes);
  const rollbackPreview = previewRollback(planOf(changes).changes, validation.cost);
  return { validation: { ...validation, rollbackPreview }, rollbackPreview };
}

const root = [{ volume_size: 8, volume_type: 'gp3' }];

describe('previewRollback', () => {
  it('a first create: the reverse destroys everything, costs $0, and a created volume is labelled', () => {
    const { validation, rollbackPreview } = preview([
      { address: 'aws_instance.app', after: { instance_type: 't3.medium', root_block_device: root } },
      { address: 'aws_ebs_volume.data', after: { size: 100, type: 'gp3' } },
    ]);
    expect(rollbackPreview.changes).toEqual({ create: 0, update: 0, replace: 0, delete: 2 });
    expect(rollbackPreview.monthlyUsd).toBe(0);
    expect(rollbackPreview.irreversible).toEqual([
      expect.objectContaining({ address: 'aws_ebs_volume.data', by: 'rollback' }),
    ]);
    expect(rollbackPreview.irreversible[0]?.label).toContain('a rollback deletes aws_ebs_volume.data, losing the data');
    const view = rollbackPreviewOf({ stack: 'web', baseVersion: 0, validation });
    expect(view).toMatchObject({ toVersion: 0, monthlyUsd: 0, diffMonthlyUsd: -validation.cost.monthlyUsd });
    expect(view?.summary).toMatch(
      /^if you roll this back: destroys what this plan creates \(2 to destroy\); \$0\.00\/month \(-\$\d+\.\d\d\); 1 cannot be undone$/,
    );
  });

  it('an update: the reverse reverts it and costs what the previous version cost', () => {
    const { validation, rollbackPreview } = preview([
      {
        address: 'aws_instance.app',
        actions: ['update'],
        before: { instance_type: 't3.medium', root_block_device: root },
        after: { instance_type: 't3.large', root_block_device: root },
      },
    ]);
    expect(rollbackPreview).toEqual({
      changes: { create: 0, update: 1, replace: 0, delete: 0 },
      monthlyUsd: 31.01,
      irreversible: [],
    });
    expect(validation.cost.monthlyUsd).toBe(61.38);
    const view = rollbackPreviewOf({ stack: 'web', baseVersion: 3, validation });
    expect(view).toMatchObject({ toVersion: 3, monthlyUsd: 31.01, diffMonthlyUsd: -30.37 });
    expect(view?.summary).toBe(
      'if you roll this back: returns stack web to version 3: 0 to add, 1 to change, 0 to replace, 0 to destroy; $31.01/month (-$30.37)',
    );
  });

  it('a stateful resource deleted or replaced, an EIP released: irreversible; a stateless delete is not', () => {
    const { rollbackPreview } = preview([
      { address: 'aws_db_instance.main', actions: ['delete'], before: { instance_class: 'db.t3.micro' } },
      { address: 'aws_eip.nat', actions: ['delete'], before: { domain: 'vpc' } },
      { address: 'aws_ebs_volume.data', actions: ['delete', 'create'], before: { size: 10 }, after: { size: 20 } },
      { address: 'aws_security_group.web', actions: ['delete'], before: { name: 'web' } },
    ]);
    expect(rollbackPreview.changes).toEqual({ create: 3, update: 0, replace: 1, delete: 0 });
    expect(rollbackPreview.irreversible.map((i) => [i.address, i.by])).toEqual([
      ['aws_db_instance.main', 'plan'],
      ['aws_eip.nat', 'plan'],
      ['aws_ebs_volume.data', 'plan'],
    ]);
    const [db, eip, vol] = rollbackPreview.irreversible.map((i) => i.label);
    expect(db).toBe(
      'this plan deletes aws_db_instance.main: the database cannot be undone; a rollback creates a new, empty one',
    );
    expect(eip).toContain('this plan releases aws_eip.nat');
    expect(eip).toContain('a rollback allocates a different address');
    expect(vol).toContain('this plan replaces aws_ebs_volume.data: the data on the volume cannot be undone');
  });

  it('no preview before Sentinel has priced the plan', () => {
    expect(rollbackPreviewOf({ stack: 'web', baseVersion: 1 })).toBeUndefined();
  });
});
