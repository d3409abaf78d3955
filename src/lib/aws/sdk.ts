// The AWS SDK commands this room sends, and nothing else: clients.ts imports
// this module when the first client is made (a dynamic import, so --help,
// --version and unattended runs never load the SDK), and the bundler keeps
// only what is named here. A command added here is an IAM action to add to the
// README's policy (test/aws.test.ts compares them).
export { DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
export { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
export { DescribeClustersCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
export { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
export { DescribeKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
export { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
export { HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
export { DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
