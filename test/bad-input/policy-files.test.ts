import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/agents/sentinel/policy/parse-policy.js';

const KEYS =
  'expected one of version, allowedRegions, allowedInstanceTypes, maxMonthlyUsdPerStack, allowedPorts, waivers, rules, approvals, autoApprove';
const OPS = 'equals, not_equals, exists, not_exists, contains, not_contains, in, not_in, gte, gt, lte, lt, matches';

const reasonOf = (text: string, file?: string): string => {
  const r = parsePolicy(text, file);
  return r.ok ? 'accepted' : r.reason;
};

const WAIVER = [
  'waivers:',
  '  - ruleId: CKV_AWS_24',
  '    address: "aws_security_group_rule.*"',
  '    reason: break-glass',
  '    expires: 2026-12-31',
];
const RULE = [
  'rules:',
  '  - id: ORG_IMDSV2',
  '    resource: aws_launch_template',
  '    attribute: metadata_options.http_tokens',
  '    operator: equals',
  '    value: required',
  '    severity: HIGH',
  '    message: IMDSv2 only',
];
/** The waiver or rule with one line replaced (or removed, for null), as file text. */
const edit = (lines: string[], index: number, line: string | null) =>
  `${lines.flatMap((l, i) => (i === index ? (line === null ? [] : [line]) : [l])).join('\n')}\n`;

describe('policy files: YAML that does not parse names the line', () => {
  it.each([
    ['an unclosed flow list', 'version: 1\nallowedRegions: [us-east-1\n', /^policy\.yaml:\d+: /],
    ['an unclosed quote', 'version: 1\nallowedRegions: ["us-east-1]\n', /^policy\.yaml:\d+: /],
    ['a duplicate key', 'version: 1\nversion: 2\n', /^policy\.yaml:2: Map keys must be unique/],
    [
      'tabs as indentation',
      'version:\t1\n\tallowedRegions: []\n',
      /^policy\.yaml:2: Tabs are not allowed as indentation/,
    ],
    ['two documents', 'version: 1\n---\nversion: 2\n', /^policy\.yaml:2: Source contains multiple documents/],
    ['bad indentation', 'waivers:\n  - ruleId: X\n     address: y\n', /^policy\.yaml:\d+: /],
    ['a stray colon', 'version: 1: 2\n', /^policy\.yaml:1: /],
    ['an undefined alias', 'allowedRegions: [*nowhere]\n', /^policy\.yaml:1: /],
    ['an unclosed mapping', 'rules: {id: X\n', /^policy\.yaml:\d+: /],
    ['10,000-deep nesting', `rules: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, /^policy\.yaml:1: /],
    ['the file name is used', 'version: [\n', /^org\/policy\.yml:\d+: /],
  ])('%s', (_label, text, want) => {
    expect(reasonOf(text, want.source.startsWith('^org') ? 'org/policy.yml' : undefined)).toMatch(want);
  });
});

describe('policy files: wrong types and unknown keys name the line and the key', () => {
  it.each([
    ['a list at the top', '- just\n- a list\n', 'policy.yaml:1: policy must be a mapping'],
    ['a string at the top', 'hello\n', 'policy.yaml:1: policy must be a mapping'],
    ['a number at the top', '42\n', 'policy.yaml:1: policy must be a mapping'],
    ['an unknown top key', 'version: 1\nmaxMonthlyUsd: 400\n', `policy.yaml:2: maxMonthlyUsd: unknown key (${KEYS})`],
    ['a misspelt top key', 'allowedRegion: [us-east-1]\n', `policy.yaml:1: allowedRegion: unknown key (${KEYS})`],
    ['__proto__ as a key', '__proto__: {polluted: 1}\n', `policy.yaml:1: __proto__: unknown key (${KEYS})`],
    [
      'constructor as a key',
      'constructor: {prototype: {polluted: 1}}\n',
      `policy.yaml:1: constructor: unknown key (${KEYS})`,
    ],
    ['a merge key', 'version: 1\n<<: {allowedRegions: [x]}\n', `policy.yaml:2: <<: unknown key (${KEYS})`],
    ['a null key', '~: 1\n', `policy.yaml:1: null: unknown key (${KEYS})`],
    ['version a string', 'version: one\n', 'policy.yaml:1: version must be a number'],
    ['version a list', 'version: [1]\n', 'policy.yaml:1: version must be a number'],
    ['version .nan', 'version: .nan\n', 'policy.yaml:1: version must be a number'],
    ['version with a binary tag', 'version: !!binary aGVsbG8=\n', 'policy.yaml:1: version must be a number'],
    ['version with a js tag', 'version: !!js/function "function(){}"\n', 'policy.yaml:1: version must be a number'],
    ['allowedRegions a string', 'allowedRegions: us-east-1\n', 'policy.yaml:1: allowedRegions must be a list'],
    ['allowedRegions a mapping', 'allowedRegions: {us: east}\n', 'policy.yaml:1: allowedRegions must be a list'],
    [
      'allowedRegions with a number',
      'allowedRegions: [us-east-1, 5]\n',
      'policy.yaml:1: allowedRegions[1] must be a non-empty string',
    ],
    [
      'allowedRegions with an empty string',
      'allowedRegions:\n  - us-east-1\n  - ""\n',
      'policy.yaml:3: allowedRegions[1] must be a non-empty string',
    ],
    [
      'allowedRegions with null',
      'allowedRegions:\n  - us-east-1\n  -\n',
      'policy.yaml:3: allowedRegions[1] must be a non-empty string',
    ],
    [
      'allowedRegions with an alias',
      'version: &v 1\nallowedRegions: [*v]\n',
      'policy.yaml:2: allowedRegions[0] must be a non-empty string',
    ],
    [
      'allowedInstanceTypes with a list inside',
      'allowedInstanceTypes: [[g4dn.*]]\n',
      'policy.yaml:1: allowedInstanceTypes[0] must be a non-empty string',
    ],
    [
      'maxMonthlyUsdPerStack "lots"',
      'maxMonthlyUsdPerStack: lots\n',
      'policy.yaml:1: maxMonthlyUsdPerStack must be a number',
    ],
    ['maxMonthlyUsdPerStack -1', 'maxMonthlyUsdPerStack: -1\n', 'policy.yaml:1: maxMonthlyUsdPerStack must be >= 0'],
    [
      'maxMonthlyUsdPerStack .inf',
      'maxMonthlyUsdPerStack: .inf\n',
      'policy.yaml:1: maxMonthlyUsdPerStack must be a number',
    ],
    [
      'maxMonthlyUsdPerStack "$400"',
      'maxMonthlyUsdPerStack: $400\n',
      'policy.yaml:1: maxMonthlyUsdPerStack must be a number',
    ],
    [
      'allowedPorts 70000',
      'allowedPorts: [443, 70000]\n',
      'policy.yaml:1: allowedPorts[1] must be a port number 0-65535',
    ],
    ['allowedPorts -1', 'allowedPorts: [-1]\n', 'policy.yaml:1: allowedPorts[0] must be a port number 0-65535'],
    ['allowedPorts 443.5', 'allowedPorts: [443.5]\n', 'policy.yaml:1: allowedPorts[0] must be a port number 0-65535'],
    ['allowedPorts "443"', 'allowedPorts: ["443"]\n', 'policy.yaml:1: allowedPorts[0] must be a number'],
    ['allowedPorts a range', 'allowedPorts: [8000-8100]\n', 'policy.yaml:1: allowedPorts[0] must be a number'],
    ['waivers a mapping', 'waivers: {ruleId: X}\n', 'policy.yaml:1: waivers must be a list'],
    ['rules a string', 'rules: all\n', 'policy.yaml:1: rules must be a list'],
  ])('%s', (_label, text, reason) => {
    expect(reasonOf(text)).toBe(reason);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('policy files: waivers', () => {
  it.each([
    [
      'expires "next month"',
      edit(WAIVER, 4, '    expires: next month'),
      'policy.yaml:5: waivers[0].expires must be a date YYYY-MM-DD',
    ],
    [
      'expires Feb 30',
      edit(WAIVER, 4, '    expires: 2026-02-30'),
      'policy.yaml:5: waivers[0].expires must be a date YYYY-MM-DD',
    ],
    [
      'expires month 13',
      edit(WAIVER, 4, '    expires: 2026-13-01'),
      'policy.yaml:5: waivers[0].expires must be a date YYYY-MM-DD',
    ],
    [
      'expires day 00',
      edit(WAIVER, 4, '    expires: 2026-12-00'),
      'policy.yaml:5: waivers[0].expires must be a date YYYY-MM-DD',
    ],
    [
      'expires with a time',
      edit(WAIVER, 4, '    expires: "2026-12-31T00:00:00Z"'),
      'policy.yaml:5: waivers[0].expires must be a date YYYY-MM-DD',
    ],
    [
      'expires US style',
      edit(WAIVER, 4, '    expires: 12/31/2026'),
      'policy.yaml:5: waivers[0].expires must be a date YYYY-MM-DD',
    ],
    [
      'expires 5-digit year',
      edit(WAIVER, 4, '    expires: 20266-12-31'),
      'policy.yaml:5: waivers[0].expires must be a date YYYY-MM-DD',
    ],
    [
      'expires a number',
      edit(WAIVER, 4, '    expires: 20261231'),
      'policy.yaml:5: waivers[0].expires must be a non-empty string',
    ],
    [
      'expires empty',
      edit(WAIVER, 4, '    expires: ""'),
      'policy.yaml:5: waivers[0].expires must be a non-empty string',
    ],
    ['no expires', edit(WAIVER, 4, null), 'policy.yaml:2: waivers[0].expires is required'],
    ['no reason', edit(WAIVER, 3, null), 'policy.yaml:2: waivers[0].reason is required'],
    ['no address', edit(WAIVER, 2, null), 'policy.yaml:2: waivers[0].address is required'],
    [
      'no ruleId',
      'waivers:\n  - address: x\n    reason: r\n    expires: 2026-12-31\n',
      'policy.yaml:2: waivers[0].ruleId is required',
    ],
    [
      'ruleId lowercase',
      edit(WAIVER, 1, '  - ruleId: ckv_aws_24'),
      'policy.yaml:2: waivers[0].ruleId must look like CKV_AWS_24 or CREW_OLLAMA_VPC_ONLY',
    ],
    [
      'ruleId a glob',
      edit(WAIVER, 1, '  - ruleId: "*"'),
      'policy.yaml:2: waivers[0].ruleId must look like CKV_AWS_24 or CREW_OLLAMA_VPC_ONLY',
    ],
    [
      'reason blank',
      edit(WAIVER, 3, '    reason: "   "'),
      'policy.yaml:4: waivers[0].reason must be a non-empty string',
    ],
    [
      'a misspelt key',
      edit(WAIVER, 2, '    adress: x'),
      'policy.yaml:3: waivers[0].adress: unknown key (expected one of ruleId, address, reason, expires)',
    ],
    [
      'an approver key',
      `${WAIVER.join('\n')}\n    approvedBy: me\n`,
      'policy.yaml:6: waivers[0].approvedBy: unknown key (expected one of ruleId, address, reason, expires)',
    ],
    ['a waiver that is a string', 'waivers:\n  - everything\n', 'policy.yaml:2: waivers[0] must be a mapping'],
  ])('%s', (_label, text, reason) => {
    expect(reasonOf(text)).toBe(reason);
  });
});

describe('policy files: attribute rules', () => {
  it.each([
    ['operator "is"', edit(RULE, 4, '    operator: is'), `policy.yaml:5: rules[0].operator must be one of ${OPS}`],
    ['operator "=="', edit(RULE, 4, '    operator: "=="'), `policy.yaml:5: rules[0].operator must be one of ${OPS}`],
    [
      'operator uppercase',
      edit(RULE, 4, '    operator: EQUALS'),
      `policy.yaml:5: rules[0].operator must be one of ${OPS}`,
    ],
    [
      'operator a list',
      edit(RULE, 4, '    operator: [equals]'),
      'policy.yaml:5: rules[0].operator must be a non-empty string',
    ],
    [
      'operator "__proto__"',
      edit(RULE, 4, '    operator: __proto__'),
      `policy.yaml:5: rules[0].operator must be one of ${OPS}`,
    ],
    [
      'severity "SEVERE"',
      edit(RULE, 6, '    severity: SEVERE'),
      'policy.yaml:7: rules[0].severity must be one of LOW, MEDIUM, HIGH, CRITICAL',
    ],
    [
      'severity a number',
      edit(RULE, 6, '    severity: 3'),
      'policy.yaml:7: rules[0].severity must be a non-empty string',
    ],
    [
      'id lowercase',
      edit(RULE, 1, '  - id: org_imdsv2'),
      'policy.yaml:2: rules[0].id must be UPPER_SNAKE_CASE (e.g. ORG_IMDSV2)',
    ],
    [
      'id with a dash',
      edit(RULE, 1, '  - id: ORG-IMDSV2'),
      'policy.yaml:2: rules[0].id must be UPPER_SNAKE_CASE (e.g. ORG_IMDSV2)',
    ],
    [
      'no id',
      edit(RULE, 1, '  - resource: aws_launch_template').replace('    resource: aws_launch_template\n', ''),
      'policy.yaml:2: rules[0].id is required',
    ],
    ['no resource', edit(RULE, 2, null), 'policy.yaml:2: rules[0].resourceTypes (or resource) is required'],
    [
      'resourceTypes a string',
      edit(RULE, 2, '    resourceTypes: aws_instance'),
      'policy.yaml:3: rules[0].resourceTypes must be a list',
    ],
    ['no attribute', edit(RULE, 3, null), 'policy.yaml:2: rules[0].attribute is required'],
    ['no operator', edit(RULE, 4, null), 'policy.yaml:2: rules[0].operator is required'],
    ['no severity', edit(RULE, 6, null), 'policy.yaml:2: rules[0].severity is required'],
    ['no message', edit(RULE, 7, null), 'policy.yaml:2: rules[0].message is required'],
    ['no value for equals', edit(RULE, 5, null), 'policy.yaml:2: rules[0].value is required for operator equals'],
    [
      'a scalar value for in',
      edit(RULE, 4, '    operator: in'),
      'policy.yaml:2: rules[0].value must be a list for operator in',
    ],
    [
      'a scalar value for not_in',
      edit(RULE, 4, '    operator: not_in'),
      'policy.yaml:2: rules[0].value must be a list for operator not_in',
    ],
    [
      'a broken regular expression',
      edit(edit(RULE, 4, '    operator: matches').trimEnd().split('\n'), 5, '    value: "(["'),
      'policy.yaml:2: rules[0].value is not a valid regular expression',
    ],
    [
      'an unknown rule key',
      `${RULE.join('\n')}\n    enabled: false\n`,
      'policy.yaml:9: rules[0].enabled: unknown key (expected one of id, resourceTypes, resource, attribute, operator, value, severity, message)',
    ],
    ['a rule that is a list', 'rules:\n  - [ORG_X, equals]\n', 'policy.yaml:2: rules[0] must be a mapping'],
    [
      'the second rule bad',
      `${RULE.join('\n')}\n  - id: X2\n    operator: nope\n`,
      `policy.yaml:10: rules[1].operator must be one of ${OPS}`,
    ],
  ])('%s', (_label, text, reason) => {
    expect(reasonOf(text)).toBe(reason);
  });
});

describe('policy files: size and alias bombs stay cheap', () => {
  it('a billion-laughs alias bomb at the top level is refused at its first unknown key, fast', () => {
    const levels = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ];
    const t0 = performance.now();
    expect(reasonOf(`${levels.join('\n')}\n`)).toBe(`policy.yaml:1: a: unknown key (${KEYS})`);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a billion-laughs bomb in rule values is never expanded', () => {
    const rule = (i: number, v: string) =>
      `  - id: ORG_X${i}\n    resource: aws_instance\n    attribute: a\n    operator: in\n    severity: HIGH\n    message: m\n    value: ${v}\n`;
    const values = [
      '&l0 [x,x,x,x,x,x,x,x,x,x]',
      ...Array.from({ length: 8 }, (_, i) => `&l${i + 1} [${Array(10).fill(`*l${i}`).join(',')}]`),
    ];
    const t0 = performance.now();
    const r = parsePolicy(`rules:\n${values.map((v, i) => rule(i, v)).join('')}`);
    expect(performance.now() - t0).toBeLessThan(2000);
    // 10^9 strings if expanded; refused or kept small, never materialised.
    expect(r.ok ? JSON.stringify(r.policy).length : 0).toBeLessThan(100_000);
  });

  it('a 1 MB policy of 80,000 regions is read in one go', () => {
    const t0 = performance.now();
    const r = parsePolicy(`allowedRegions:\n${'  - us-east-1\n'.repeat(80_000)}`);
    expect(r.ok && r.policy.allowedRegions?.length).toBe(80_000);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('a bad entry deep in a long file names its exact line', () => {
    expect(reasonOf(`allowedPorts:\n${'  - 443\n'.repeat(9_999)}  - 99999\n`)).toBe(
      'policy.yaml:10001: allowedPorts[9999] must be a port number 0-65535',
    );
  });

  it('a 1 MB key is refused on line 1, and the reason stays one line', () => {
    const r = reasonOf(`${'k'.repeat(1_000_000)}: 1\n`);
    expect(r).toMatch(/^policy\.yaml:1: The : indicator must be at most 1024 chars/);
    expect(r.includes('\n')).toBe(false);
  });
});

// Known gap: parse-policy.ts reads a rule's `value` with node.toJSON() outside the document,
// so an alias (`*a`) inside it becomes `{ source: 'a' }` instead of the anchored value or a
// refusal naming the line.
describe('policy files: known gaps', () => {
  it('an alias inside a rule value is resolved or refused, never kept as { source }', () => {
    const rule = (i: number, v: string) =>
      `  - id: ORG_X${i}\n    resource: aws_instance\n    attribute: instance_type\n    operator: in\n    severity: HIGH\n    message: m\n    value: ${v}\n`;
    const r = parsePolicy(`rules:\n${rule(0, '&a [g4dn.xlarge]')}${rule(1, '[*a, t3.micro]')}`);
    if (r.ok) expect(r.policy.rules?.[1]?.value).toEqual([['g4dn.xlarge'], 't3.micro']);
    else expect(r.reason).toMatch(/^policy\.yaml:\d+: .*alias/);
  });
});
