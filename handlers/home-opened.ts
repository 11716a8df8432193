import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { renderHome } from '../src/slack/render/render-home.js';

type HomeArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Publishes the viewer's Home tab each time it is opened (events_api acks are automatic). */
export function homeOpened(deps: SlackDeps) {
  return async ({ event, client }: HomeArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    const viewer = event.user;
    const recent = await deps.plans.recent(20);
    const approvers = deps.approvers();
    const pending = (await deps.plans.active()).filter(
      (p) =>
        p.state === 'WAIT_FOR_APPROVE' &&
        p.requestedBy !== viewer &&
        (approvers.length === 0 || approvers.includes(viewer)),
    );
    const committedMonthlyUsd = await deps.stacks.committedMonthlyUsd();
    const view = renderHome({
      viewer,
      recent,
      pending,
      committedMonthlyUsd,
      now: deps.now?.() ?? new Date(),
      ...(deps.budgetUsd !== undefined ? { budgetUsd: deps.budgetUsd } : {}),
    });
    await client.views.publish({ user_id: viewer, view });
  };
}
