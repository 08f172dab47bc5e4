import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';

/**
 * What a role needs on the customer managed KMS key of a table whose items it reads or
 * writes: kms:Decrypt, nothing else. DynamoDB decrypts the table key with the caller's
 * permissions on its first access (a read or a write alike: the table key then encrypts and
 * decrypts locally); GenerateDataKey and CreateGrant are DynamoDB's own, made when the
 * table got its key, and DescribeKey is checked when the key is chosen.
 *
 * The key is the table's `encryptionKey`: a Table made with TableEncryption.CUSTOMER_MANAGED,
 * or the key given to Table.fromTableAttributes. A table under an AWS owned key (the
 * default, and the tables these constructs create) or the AWS managed key (aws/dynamodb)
 * needs no grant. A stream's reads get theirs from Table.grantStreamRead (kms:Decrypt and
 * kms:DescribeKey), which the event source mappings and the runner's grants call.
 */
export const grantTableKey = (grantee: IGrantable, table: ITable): void => {
  table.encryptionKey?.grantDecrypt(grantee);
};
