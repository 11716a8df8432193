import { afterEach, describe, expect, it } from 'vitest';
import type { DnsRecordParams } from '../../../../contracts/index.js';
import { draftPlan, parseGoal, type AtlasOutcome } from '../../../../src/agents/atlas/draft-plan.js';
import { findTemplateMarker, findTemplateMarkerIn } from '../../../../src/util/find-template-marker.js';
import { quotelessPipePayload } from '../../../support/evaluation-payloads.js';
import { makeCtx } from './atlas-fixtures.js';
import { OllamaStandIn } from '../../../support/ollama-stand-in.js';

const ctx = makeCtx(false);

function blocked(out: AtlasOutcome): string {
  if (out.kind !== 'blocked') throw new Error(`expected BLOCKED: ${JSON.stringify(out)}`);
  return out.reason;
}

describe('goals whose values carry template markers end BLOCKED at Atlas', () => {
  it('blocks the issue goal (a quoteless pipe lookup in a TXT value) with a reason naming the record and the marker', () => {
    const reason = blocked(parseGoal(`Add TXT record inj.local "${quotelessPipePayload('pwned')}"`, ctx));
    expect(reason).toBe(
      'the TXT value of inj.local contains "{{": template markers ({{, {% and {#) are refused because Ansible would run them as code. Write the value without them and plan again.',
    );
  });

  it('blocks statement and comment markers too, and other phrasings of the goal', () => {
    const goals: Array<[string, string]> = [
      ['Add TXT record inj.local "{% for x in range(1) %}x{% endfor %}"', '{%'],
      ['Add TXT record inj.local "{# note #}"', '{#'],
      ['Add DNS record inj.local type TXT value "{{ lookup(dict(pipe=1)|first, dict(id=1)|first) }}"', '{{'],
      ['set spf for example.local to "v=spf1 {{7*7}} -all"', '{{'],
    ];
    for (const [goal, marker] of goals) expect(blocked(parseGoal(goal, ctx)), goal).toContain(`contains "${marker}"`);
  });

  it('keeps Terraform and SPF macro syntax (${ and %{) literal: a TXT value may hold them', () => {
    for (const value of ['v=spf1 exists:%{i}._spf.example.com -all', 'x ${file(/etc/passwd)} y']) {
      const out = parseGoal(`Add TXT record txt.local "${value}"`, ctx);
      if (out.kind !== 'spec') throw new Error(`expected a spec for ${value}: ${JSON.stringify(out)}`);
      expect((out.spec.params as DnsRecordParams).value).toBe(value);
    }
  });
});

describe('template markers from the language model', () => {
  let standIn: OllamaStandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });

  async function draftWithModel(goal: string, reply: unknown): Promise<AtlasOutcome> {
    standIn = new OllamaStandIn([{ content: JSON.stringify(reply) }]);
    const host = await standIn.start();
    return draftPlan(goal, makeCtx(false, { llm: { host, model: 'm', timeoutMs: 5000 } }));
  }

  it("never lets a model reply put a marker into a plan: DNS values stay the goal's, other fields fail the schema", async () => {
    const dns = await draftWithModel('Add TXT record txt.local "hello world"', {
      zone: 'local',
      name: 'txt',
      type: 'TXT',
      value: "{{ lookup('pipe', 'id') }}",
      ttl: 300,
      action: 'add',
    });
    const aws = await draftWithModel('private Ollama on spot g4dn.xlarge in eu-west-1, budget $300/month', {
      instanceTypes: ['g4dn.xlarge'],
      minSize: 0,
      maxSize: 1,
      desiredCapacity: 1,
      onDemandBase: 0,
      vpcCidr: '10.42.0.0/16',
      privateSubnetCidrs: ['10.42.0.0/20'],
      ollamaPort: 11434,
      allowedCidrs: ['10.42.0.0/16'],
      model: "{{ lookup('pipe', 'id') }}",
      volumeGb: 100,
    });
    for (const out of [dns, aws]) {
      if (out.kind !== 'spec') throw new Error(`expected a spec: ${JSON.stringify(out)}`);
      expect(JSON.stringify(out.spec)).not.toMatch(/\{\{|lookup/);
    }
    expect(dns.kind === 'spec' && (dns.spec.params as DnsRecordParams).value).toBe('hello world');
  });
});

describe('findTemplateMarker', () => {
  it('finds {{, {% and {# anywhere, and nothing in ${, %{ or single braces', () => {
    expect(['a {{ b', '{%', 'x{#y'].map(findTemplateMarker)).toEqual(['{{', '{%', '{#']);
    expect(['${x}', '%{ if }', '{ "a": 1 }', '}}', ''].map(findTemplateMarker)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('reports the path of the first marked string inside params, keys included', () => {
    expect(findTemplateMarkerIn({ a: ['ok', { b: 'x {% y' }] })).toEqual({ path: 'a[1].b', marker: '{%' });
    expect(findTemplateMarkerIn({ '{{k}}': 1 })).toEqual({ path: '{{k}}', marker: '{{' });
    expect(findTemplateMarkerIn({ n: 1, s: 'plain', l: [true, null] })).toBeUndefined();
  });
});
