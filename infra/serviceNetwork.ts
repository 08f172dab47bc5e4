import {
  FlowLogDestination,
  GatewayVpcEndpointAwsService,
  type IVpc,
  type SubnetSelection,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Cluster, ContainerInsights, type ICluster } from 'aws-cdk-lib/aws-ecs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

import { CounterError } from '../src/shared/index.js';

/** Where the runner's task runs: your cluster, your VPC, or (the default) a small VPC of its own. */
export interface ServiceNetworkSettings {
  /** An ECS cluster to run in (its VPC is used). Default: a cluster of the construct's. */
  cluster?: ICluster | Cluster;
  /** A VPC for the construct's cluster. Default: a VPC of two public subnets, no NAT gateway. */
  vpc?: IVpc | Vpc;
  /** Where the task runs in your VPC or cluster's. Default: private subnets with egress. */
  vpcSubnets?: SubnetSelection;
}

// aws-cdk-lib declares optional members `T | undefined` in classes and `?: T` in their
// interfaces: under exactOptionalPropertyTypes a Cluster (a Vpc) is an ICluster (an IVpc)
// only through an assertion, true at run time. The settings take both, so that a user's
// `new Vpc(...)` compiles under that option too.
const ownCluster = (scope: Construct, vpc: IVpc): ICluster =>
  new Cluster(scope, 'Cluster', {
    vpc,
    containerInsightsV2: ContainerInsights.ENABLED,
  }) as ICluster;

/**
 * The cluster and subnets of the runner's task. The default VPC has no NAT gateway (its
 * hourly cost would exceed the task's): the task runs in a public subnet with a public IP
 * and no inbound rule, and reaches DynamoDB through a gateway endpoint (free); its flow
 * logs are kept a month.
 */
export const serviceNetwork = (
  scope: Construct,
  { cluster, vpc, vpcSubnets }: ServiceNetworkSettings,
): { cluster: ICluster; vpcSubnets: SubnetSelection; assignPublicIp: boolean } => {
  if (cluster !== undefined && vpc !== undefined)
    throw new CounterError('InvalidOption', {
      option: 'vpc',
      value: vpc.node.path,
      expected: `no vpc beside a cluster: the task runs in the cluster's VPC (${cluster.node.path}); give one of the two`,
    });
  if (cluster !== undefined || vpc !== undefined)
    return {
      cluster: (cluster as ICluster | undefined) ?? ownCluster(scope, vpc as IVpc),
      vpcSubnets: vpcSubnets ?? { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
    };
  const ownVpc = new Vpc(scope, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Public', subnetType: SubnetType.PUBLIC }],
    gatewayEndpoints: { DynamoDB: { service: GatewayVpcEndpointAwsService.DYNAMODB } },
  });
  ownVpc.addFlowLog('FlowLog', {
    destination: FlowLogDestination.toCloudWatchLogs(
      new LogGroup(scope, 'FlowLogs', { retention: RetentionDays.ONE_MONTH }),
    ),
  });
  return {
    cluster: ownCluster(scope, ownVpc as IVpc),
    vpcSubnets: { subnetType: SubnetType.PUBLIC },
    assignPublicIp: true,
  };
};
