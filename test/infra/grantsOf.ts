import type { Template } from 'aws-cdk-lib/assertions';

/** What a role may do, as the synthesized policies attached to it say: actions (sorted) on resources. */
export const grantsOf = (template: Template, roleLogicalId: string) =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter(({ Properties }) => JSON.stringify(Properties.Roles).includes(roleLogicalId))
    .flatMap(({ Properties }) => Properties.PolicyDocument.Statement as Record<string, unknown>[])
    .map(({ Action, Resource }) => ({ Actions: ([Action].flat() as string[]).sort(), Resource }));

/** The role's grants on KMS keys (statements with a kms: action), in the policy's order. */
export const keyGrantsOf = (template: Template, roleLogicalId: string) =>
  grantsOf(template, roleLogicalId).filter(({ Actions }) =>
    Actions.some((action) => action.startsWith('kms:')),
  );
