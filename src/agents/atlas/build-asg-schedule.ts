import type { AsgScheduleParams } from '../../../contracts/index.js';
import type { AtlasDefaults } from './atlas-types.js';
import type { Built } from './build-aws-spot-ollama.js';
import { buildSchedule } from './build-schedule.js';
import type { GoalFacts } from './extract-facts.js';
import { refuse } from '../../errors.js';

export function buildAsgSchedule(
  f: GoalFacts,
  d: AtlasDefaults,
  current: AsgScheduleParams | undefined,
  notes: string[],
  stack?: string,
): Built<AsgScheduleParams> {
  // "stop sched-x-asg at 20:00": the name read as a group's is the stack's; its group stays.
  const said = current && f.names.asgName === stack ? undefined : f.names.asgName;
  const asgName = said ?? current?.asgName;
  if (!asgName)
    return refuse('bad-input', 'an asg-schedule plan needs the Auto Scaling group name (e.g. "asg ollama-dev-asg")');
  if (f.schedule.remove) {
    return { ok: true, params: { asgName, remove: true } };
  }
  const c = f.counts;
  if (!f.schedule.mentioned && (c.desired !== undefined || c.max !== undefined || c.min !== undefined)) {
    return refuse(
      'bad-input',
      `asg-schedule only sets stop/start schedules; it cannot resize ${asgName} (change the stack that owns it instead)`,
    );
  }
  const built = buildSchedule(f, d, current?.schedule, notes);
  if (!built.ok) return built;
  const s = built.params;
  if (!f.schedule.mentioned && !current?.schedule)
    notes.push('No times were given: the weekend schedule (stop Friday 22:00, start Monday 07:00).');
  return { ok: true, params: { asgName, schedule: s } };
}
