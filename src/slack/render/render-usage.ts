// Usage texts, shown for empty or unknown input and by `/crew help`.

export const USAGE = {
  plan: 'Usage: `/plan <goal>` — e.g. `/plan private Ollama on spot g4dn.xlarge in eu-west-1, off on weekends, budget $300/month`',
  approve:
    'Usage: `/approve <plan id>` or `/approve <plan id> <plan file sha256 prefix>` — e.g. `/approve p-7fk2q9xa 3f2a9c1b` (someone other than the requester; the sha binds your approval to the file you reviewed)',
  reject: 'Usage: `/reject <plan id> [reason]` — e.g. `/reject p-7fk2q9xa too expensive`',
  rollback: 'Usage: `/rollback <plan id>` — restores the stack to the version before that plan',
  crew: [
    '*infracrew* — plan → validate → approve → apply → rollback',
    '• `/plan <goal>` — turn a goal into a reviewed plan (review thread in the review channel)',
    '• `/approve <id> [sha]` · `/reject <id> [reason]` — decide on a plan waiting for approval',
    '• `/rollback <id>` — undo an applied plan',
    '• `/crew status [id]` — recent plans, or one plan',
    '• `/crew history <id>` — a plan’s transitions',
    '• `/crew schedule …` — FinOps schedules (weekend kill-switch)',
    '• `/crew digest` — cost digest',
    '• `/crew drift [stack]` — check applied stacks for changes made outside the crew; each drifted stack’s report (review channel) has Revert, Adopt and Snooze · `/crew drift snooze <stack> <date>`',
    '• `/crew rollout <stack>` — the instance refreshes AWS runs on an Ollama stack after a change of type, model or volume',
    '• `/crew suggest` — priced savings suggestions with a Plan this button each · `/crew suggest plan <n>`',
    '• `/crew unlock <stack>` — admin: free a stack’s lock',
    '• `/crew help` — this text',
  ].join('\n'),
} as const;
