import { describe, expect, it } from 'vitest';
import { summarizeAnsibleCheck } from '../../../../src/agents/forge/summarize-ansible-check.js';

const OUTPUT = `PLAY [Install K3s] *************************************************************

TASK [Download the installer] **************************************************
ok: [lab-server-1]
changed: [lab-worker-1]

TASK [Start k3s-agent] *********************************************************
changed: [lab-worker-1]
--- before
+++ after

PLAY RECAP *********************************************************************
lab-server-1               : ok=3    changed=0    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0
lab-worker-1               : ok=3    changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
lab-worker-2               : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0
`;

describe('summarizeAnsibleCheck', () => {
  it('says which tasks would change which hosts, with the recap totals', () => {
    expect(summarizeAnsibleCheck(OUTPUT, 'playbooks/k3s')).toBe(
      [
        'playbooks/k3s --check on 3 host(s): 2 change(s) would be made, 1 host(s) unreachable',
        '  would change: Download the installer (lab-worker-1)',
        '  would change: Start k3s-agent (lab-worker-1)',
      ].join('\n'),
    );
  });

  it('stays short', () => {
    const many = Array.from({ length: 200 }, (_, i) => `TASK [task ${i}]\nchanged: [h${i}]`).join('\n');
    expect(summarizeAnsibleCheck(many, 'x', 300)).toHaveLength(300);
  });
});
