import type { ServiceDefinition } from './action-context.js';
import { ZONE_ACTIONS } from './ec2-zone-actions.js';

export const EC2_SERVICE: ServiceDefinition = {
  name: 'ec2',
  protocol: 'ec2',
  namespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  version: '2016-11-15',
  actions: { ...ZONE_ACTIONS },
};
