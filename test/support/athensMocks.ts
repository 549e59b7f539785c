// Mock answers and arguments shared by the Athens component tests (test/components/athens*.test.ts).
import * as pulumi from "@pulumi/pulumi";
import { AthensAwsArgs } from "../../components/athensAws";
import { Registration } from "./mocks";

export const T = {
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  redisSubnets: "aws:elasticache/subnetGroup:SubnetGroup",
  redis: "aws:elasticache/replicationGroup:ReplicationGroup",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  cluster: "aws:ecs/cluster:Cluster",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  dynamic: "pulumi-nodejs:dynamic/slipway:LocalAthens",
  component: "slipway:athens:AthensProxy",
  aws: "slipway:athens:AthensAws",
  localProcess: "slipway:athens:AthensLocalProcess",
  localEndpoint: "slipway:athens:AthensLocalEndpoint",
} as const;

export const PASSWORD = "pw-rotated-7/x@y";
export const DIGEST = `sha256:${"b".repeat(64)}`;
export const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/1";
export const REPOSITORY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/athens";

export function awsArgs(overrides: Partial<AthensAwsArgs> = {}): AthensAwsArgs {
  return {
    kind: "aws",
    region: "eu-west-1",
    vpcId: "vpc-1234",
    subnetIds: ["subnet-a", "subnet-b"],
    allowedCidrs: ["10.20.0.0/16", "10.10.0.0/16"],
    imageRepositoryUrl: REPOSITORY,
    imageDigest: DIGEST,
    basicAuthUser: "ci",
    basicAuthPassword: pulumi.secret(PASSWORD),
    tls: { certificateArn: CERTIFICATE, hostname: "athens.build.example.com" },
    ...overrides,
  };
}

export function mockOutputs(registration: Registration): Record<string, unknown> {
  const name = registration.name;
  switch (registration.type) {
    case T.bucket:
      return { bucket: `${name}-bucket`, arn: `arn:aws:s3:::${name}-bucket` };
    case T.secret:
      return { arn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf` };
    case T.secretVersion:
      return { versionId: `${name}-version-1` };
    case T.role:
      return { arn: `arn:aws:iam::123456789012:role/${name}`, name };
    case T.logGroup:
      return { name: `/aws/ecs/${name}` };
    case T.lb:
      return { arn: `arn:lb:${name}`, dnsName: `internal-${name}.eu-west-1.elb.amazonaws.com`, zoneId: "Z32O12XQLNTSW2" };
    case T.targetGroup:
    case T.cluster:
    case T.taskDefinition:
      return { arn: `arn:${name}` };
    case T.redisSubnets:
      return { name };
    case T.redis:
      return { primaryEndpointAddress: `master.${name}.cache.amazonaws.com` };
    case T.dynamic:
      return registration.inputs.source === "process"
        ? { url: `http://${String(registration.inputs.host)}:${String(registration.inputs.port)}`, adopted: false, healthy: true }
        : { healthy: true };
    default:
      return {};
  }
}
