import type { ServiceDefinition } from './action-context.js';
import { FLOW_LOG_ACTIONS } from './ec2-flow-log-actions.js';
import { GATEWAY_ACTIONS } from './ec2-gateway-actions.js';
import { LAUNCH_TEMPLATE_ACTIONS } from './ec2-launch-template-actions.js';
import { ROUTE_TABLE_ACTIONS } from './ec2-route-table-actions.js';
import { SECURITY_GROUP_ACTIONS } from './ec2-security-group-actions.js';
import { TAG_ACTIONS } from './ec2-tag-actions.js';
import { VPC_ACTIONS } from './ec2-vpc-actions.js';
import { ZONE_ACTIONS } from './ec2-zone-actions.js';

export const EC2_SERVICE: ServiceDefinition = {
  name: 'ec2',
  protocol: 'ec2',
  namespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  version: '2016-11-15',
  actions: {
    ...ZONE_ACTIONS,
    ...VPC_ACTIONS,
    ...ROUTE_TABLE_ACTIONS,
    ...GATEWAY_ACTIONS,
    ...SECURITY_GROUP_ACTIONS,
    ...FLOW_LOG_ACTIONS,
    ...LAUNCH_TEMPLATE_ACTIONS,
    ...TAG_ACTIONS,
  },
};
