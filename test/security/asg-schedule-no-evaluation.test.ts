import { mkdir, readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findSecret,
  jinjaPayloads,
  makeMarkers,
  shellPayloads,
  terraformPayloads,
  type Markers,
} from '../support/evaluation-payloads.js';
import {
  scheduleSpec,
  startScheduleFixture,
  TEST_CREDENTIALS,
  WEEKEND,
  type ScheduleFixture,
} from '../support/schedule-fixture.js';

// The weekend kill-switch passes the group name to AWS as SDK parameters (form
// fields on the wire): planted past the schema, it stays data (and in file names it is encoded) from plan to apply.

let f: ScheduleFixture;
let markers: Markers;
beforeEach(async () => {
  f = await startScheduleFixture();
  markers = makeMarkers();
  await mkdir(f.ws.plansDir, { recursive: true });
});
afterEach(async () => {
  await f.close();
  markers.remove();
});

describe('asg-schedule never evaluates a planted group name', () => {
  it('plans, applies and rolls back with the payloads as literal group names, and nothing runs', async () => {
    const payloads = [
      ...Object.values(jinjaPayloads(markers.path('jinja'))),
      ...Object.values(shellPayloads(markers.path('shell'))),
      ...Object.values(terraformPayloads('/etc/passwd')),
    ];
    for (const [i, name] of payloads.entries()) {
      f.aws.addAsg({ name, minSize: 1, maxSize: 2, desiredCapacity: 1 });
      const spec = scheduleSpec({ asgName: name, schedule: WEEKEND });
      const built = await f.runner.plan(spec, f.ws, { name: `p${i}` });
      expect(JSON.parse(await readFile(built.planFile.path, 'utf8'))).toMatchObject({ asgName: name });
      await f.runner.apply(spec, f.ws, built.planFile.path);
      expect(f.aws.actions(name).map((a) => a.timeZone)).toEqual([WEEKEND.timezone, WEEKEND.timezone]);
      const undo = await f.runner.plan(spec, f.ws, { name: `p${i}-rollback`, destroy: true });
      await f.runner.apply(spec, f.ws, undo.planFile.path);
      expect(f.aws.actions(name)).toEqual([]);
    }
    expect(markers.created()).toEqual([]);
    expect(findSecret(TEST_CREDENTIALS.secretAccessKey, [f.ws.dir, markers.dir])).toEqual([]);
  });
});
