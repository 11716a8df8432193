import type { ServiceDefinition } from './action-context.js';

export const STS_SERVICE: ServiceDefinition = {
  name: 'sts',
  protocol: 'query',
  namespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  version: '2011-06-15',
  actions: {
    GetCallerIdentity: ({ state }) => ({
      Arn: `arn:aws:iam::${state.accountId}:user/infracrew-test`,
      UserId: 'AIDAEXAMPLEUSERID0001',
      Account: state.accountId,
    }),
  },
};
