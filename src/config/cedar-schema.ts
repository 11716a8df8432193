// The entity model every Cedar policy of the crew is validated against: people in groups,
// stacks with what the review knows about them, and the crew's actions.

export const CEDAR_SCHEMA = `
entity Group;
entity Person in [Group];
entity Stack = {
  "planId": String,
  "state": String,
  "blueprint": String,
  "target": String,
  "region": String,
  "riskLevel": String,
  "destructive": Bool,
  "monthlyUsd": Long,
  "monthlyUsdChange": Long,
  "environment": String,
  "requestedBy"?: Person,
};
type Ctx = { "allowSelfApproval": Bool, "approversListed": Bool };
action plan, approve, reject, rollback, unlock, schedule, check appliesTo {
  principal: [Person],
  resource: [Stack],
  context: Ctx,
};
`;
