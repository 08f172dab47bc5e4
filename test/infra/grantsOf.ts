import type { Template } from 'aws-cdk-lib/assertions';

/** What a role may do, as the synthesized policies attached to it say: actions (sorted) on resources. */
export const grantsOf = (template: Template, roleLogicalId: string) =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter(({ Properties }) => JSON.stringify(Properties.Roles).includes(roleLogicalId))
    .flatMap(({ Properties }) => Properties.PolicyDocument.Statement as Record<string, unknown>[])
    .map(({ Action, Resource }) => ({ Actions: [Action].flat().sort(), Resource }));
