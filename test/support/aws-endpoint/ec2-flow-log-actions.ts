import type { ActionHandler } from './action-context.js';
import { applyTagSpecifications, filtersOf, idsOf, matches, tagSet } from './ec2-filters.js';
import type { FlowLog } from './ec2-records.js';
import { describeRecords } from './ec2-tag-actions.js';
import { AwsError, intParam, listParam } from './query-protocol.js';

// The format AWS uses when a flow log names none.
const DEFAULT_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

const flowLogNotFound = (id: string) => new AwsError('InvalidFlowLogId.NotFound', `Flow log ${id} does not exist`);

export const FLOW_LOG_ACTIONS: Record<string, ActionHandler> = {
  CreateFlowLogs: ({ params, state }) => {
    const destinationType = params.LogDestinationType ?? 'cloud-watch-logs';
    const destination = params.LogDestination;
    const logGroupName =
      params.LogGroupName ??
      (destinationType === 'cloud-watch-logs' ? destination?.split(':log-group:')[1] : undefined);
    const ids = listParam(params, 'ResourceId').map((resourceId) => {
      const flowLogId = state.newId('fl');
      state.put<FlowLog>('flow-log', flowLogId, {
        flowLogId,
        resourceId,
        trafficType: params.TrafficType ?? 'ALL',
        logDestinationType: destinationType,
        ...(destination ? { logDestination: destination } : {}),
        ...(logGroupName ? { logGroupName: logGroupName.replace(/:\*$/, '') } : {}),
        ...(params.DeliverLogsPermissionArn ? { deliverLogsPermissionArn: params.DeliverLogsPermissionArn } : {}),
        maxAggregationInterval: intParam(params, 'MaxAggregationInterval') ?? 600,
        logFormat: params.LogFormat ?? DEFAULT_FORMAT,
        creationTime: new Date().toISOString(),
      });
      applyTagSpecifications(state, params, flowLogId, 'vpc-flow-log');
      return flowLogId;
    });
    return { flowLogIdSet: ids, unsuccessful: [] };
  },
  DescribeFlowLogs: ({ params, state }) => {
    const filters = filtersOf(params);
    const logs = describeRecords<FlowLog>(state, 'flow-log', idsOf(params, 'FlowLogId'), flowLogNotFound, (f) =>
      matches(
        filters,
        { 'flow-log-id': f.flowLogId, 'resource-id': f.resourceId, 'log-group-name': f.logGroupName },
        state.tagsOf(f.flowLogId),
      ),
    );
    return {
      flowLogSet: logs.map((f) => ({
        flowLogId: f.flowLogId,
        creationTime: f.creationTime,
        deliverLogsPermissionArn: f.deliverLogsPermissionArn,
        deliverLogsStatus: 'SUCCESS',
        flowLogStatus: 'ACTIVE',
        logGroupName: f.logGroupName,
        resourceId: f.resourceId,
        trafficType: f.trafficType,
        logDestinationType: f.logDestinationType,
        logDestination: f.logDestination,
        logFormat: f.logFormat,
        maxAggregationInterval: f.maxAggregationInterval,
        tagSet: tagSet(state, f.flowLogId),
      })),
    };
  },
  DeleteFlowLogs: ({ params, state }) => {
    const unsuccessful = listParam(params, 'FlowLogId').flatMap((id) =>
      state.remove('flow-log', id)
        ? []
        : [{ resourceId: id, error: { code: 'InvalidFlowLogId.NotFound', message: `Flow log ${id} does not exist` } }],
    );
    return { unsuccessful };
  },
};
