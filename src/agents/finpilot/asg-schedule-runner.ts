import {
  DeleteScheduledActionCommand,
  PutScheduledUpdateGroupActionCommand,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AsgScheduleSpec, PlanSpec } from '../../../contracts/index.js';
import { CrewError } from '../../errors.js';
import { sha256Hex } from '../../util/new-id.js';
import { StalePlanError, type BuiltPlan, type ChangeRunner, type PlanRequest } from '../forge/change-runner.js';
import type { StackWorkspace } from '../forge/stack-workspace.js';
import { summarizeChanges } from '../forge/summarize-changes.js';
import { diffScheduleActions, isCrewAction, wantedActions } from './diff-schedule-actions.js';
import { callAws } from './explain-aws-error.js';
import { fingerprintActions, listScheduledActions, readAsgState, type ScheduledActionState } from './read-asg-state.js';
import { renderSchedulePlanJson } from './render-schedule-plan-json.js';
import {
  localScheduleBaselines,
  parseSchedulePlanFile,
  type ScheduleBaselines,
  type SchedulePlanFile,
} from './schedule-plan-file.js';

export interface AsgScheduleRunnerOptions {
  /** The Auto Scaling client for a region (see createAutoScalingClient). */
  autoScaling: (region: string) => AutoScalingClient;
  /** Region when the spec states none. */
  defaultRegion: string;
  /** Where first-apply baselines live; default: the stack's workspace (one machine only). */
  baselines?: ScheduleBaselines;
}

function asScheduleSpec(spec: PlanSpec): AsgScheduleSpec {
  if (spec.blueprint !== 'asg-schedule')
    throw new CrewError('CREW_ERR_BAD_INPUT', `the asg-schedule runner cannot build a ${spec.blueprint} plan`);
  return spec;
}

/**
 * The weekend kill-switch as AWS SDK calls: plans the diff between the group's scheduled
 * actions and the wanted stop/start pair, applies exactly that diff, refuses a stale plan.
 */
export class AsgScheduleChangeRunner implements ChangeRunner {
  private readonly baselines: ScheduleBaselines;

  constructor(private readonly o: AsgScheduleRunnerOptions) {
    this.baselines = o.baselines ?? localScheduleBaselines;
  }

  private client(spec: AsgScheduleSpec): { client: AutoScalingClient; region: string } {
    const region = spec.region ?? this.o.defaultRegion;
    return { client: this.o.autoScaling(region), region };
  }

  async plan(plainSpec: PlanSpec, ws: StackWorkspace, request: PlanRequest): Promise<BuiltPlan> {
    const spec = asScheduleSpec(plainSpec);
    const { client, region } = this.client(spec);
    const asgName = spec.params.asgName;
    const state = await readAsgState(client, asgName);
    // A first-time create rolls back to the crew's actions from before it (none, usually).
    const wanted = request.destroy
      ? ((await this.baselines.read(ws, asgName)) ?? [])
      : wantedActions(spec.params, state);
    const diff = diffScheduleActions(state, wanted);
    const file: SchedulePlanFile = {
      kind: 'crew.asg-schedule-plan',
      version: 1,
      asgName,
      region,
      destroy: request.destroy === true,
      observed: state.actions,
      fingerprint: fingerprintActions(state.actions),
      puts: diff.puts,
      deletes: diff.deletes,
    };
    await mkdir(ws.plansDir, { recursive: true });
    const planPath = ws.planFile(request.name);
    const planText = JSON.stringify(file, null, 2);
    await writeFile(planPath, planText);
    const planJson = renderSchedulePlanJson(asgName, region, diff.rows);
    const jsonText = JSON.stringify(planJson);
    const jsonPath = ws.planJsonFile(request.name);
    await writeFile(jsonPath, jsonText);
    return {
      changes: diff.puts.length + diff.deletes.length > 0,
      planFile: { path: planPath, sha256: sha256Hex(planText) },
      planJson: { path: jsonPath, sha256: sha256Hex(jsonText) },
      summary: summarizeChanges(planJson),
    };
  }

  async apply(plainSpec: PlanSpec, ws: StackWorkspace, planFile: string): Promise<void> {
    const spec = asScheduleSpec(plainSpec);
    const plan = parseSchedulePlanFile(await readFile(planFile, 'utf8'), planFile);
    if (plan.asgName !== spec.params.asgName) {
      throw new CrewError(
        'CREW_ERR_BAD_INPUT',
        `plan file ${planFile} is for ${plan.asgName}, not ${spec.params.asgName}; nothing was applied`,
      );
    }
    const client = this.o.autoScaling(plan.region);
    const live = await listScheduledActions(client, plan.asgName);
    if (fingerprintActions(live) !== plan.fingerprint) {
      throw new StalePlanError(
        `the scheduled actions of ${plan.asgName} changed since this plan was made; nothing was applied`,
      );
    }
    if (!plan.destroy) await this.baselines.record(ws, plan.asgName, plan.observed.filter(isCrewAction));
    // Deletes first, so a full group makes room before the puts.
    for (const name of plan.deletes) {
      await callAws('Auto Scaling', 'DeleteScheduledAction', () =>
        client.send(
          new DeleteScheduledActionCommand({ AutoScalingGroupName: plan.asgName, ScheduledActionName: name }),
        ),
      );
    }
    for (const put of plan.puts) await putAction(client, plan.asgName, put);
    if (plan.destroy) await this.baselines.clear(ws, plan.asgName);
  }

  async outputs(plainSpec: PlanSpec): Promise<Record<string, unknown>> {
    const spec = asScheduleSpec(plainSpec);
    const { client, region } = this.client(spec);
    const actions = (await listScheduledActions(client, spec.params.asgName)).filter(isCrewAction);
    return { asgName: spec.params.asgName, region, scheduledActions: actions };
  }
}

async function putAction(client: AutoScalingClient, asgName: string, a: ScheduledActionState): Promise<void> {
  await callAws('Auto Scaling', 'PutScheduledUpdateGroupAction', () =>
    client.send(
      new PutScheduledUpdateGroupActionCommand({
        AutoScalingGroupName: asgName,
        ScheduledActionName: a.name,
        ...(a.recurrence ? { Recurrence: a.recurrence } : {}),
        ...(a.timeZone ? { TimeZone: a.timeZone } : {}),
        ...(a.minSize !== undefined ? { MinSize: a.minSize } : {}),
        ...(a.maxSize !== undefined ? { MaxSize: a.maxSize } : {}),
        ...(a.desiredCapacity !== undefined ? { DesiredCapacity: a.desiredCapacity } : {}),
        ...(a.startTime ? { StartTime: new Date(a.startTime) } : {}),
        ...(a.endTime ? { EndTime: new Date(a.endTime) } : {}),
      }),
    ),
  );
}
