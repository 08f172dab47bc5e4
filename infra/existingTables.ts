import { Annotations, Token, Tokenization } from 'aws-cdk-lib';
import { CfnGlobalTable, CfnTable, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

import { CounterError } from '../src/shared/index.js';
import type { TableSettings } from './tables.js';

/**
 * A table the construct creates (its settings), or one that exists already: an ITable,
 * e.g. `Table.fromTableAttributes(scope, id, { tableArn, tableStreamArn })`, or a table of
 * the app. A table under a customer managed KMS key needs its `encryptionKey` (given to
 * fromTableAttributes, or the Table's own): the roles get kms:Decrypt on it.
 */
export type TableInput = TableSettings | ITable;

export const isExistingTable = (input: TableInput | undefined): input is ITable =>
  input !== undefined && Construct.isConstruct(input);

/** The view types whose records carry what a consumer reads. */
export type StreamViewTypes = readonly ('NEW_IMAGE' | 'NEW_AND_OLD_IMAGES')[];

/**
 * Refuses, at synth, an existing table whose stream is missing or of a view type the
 * consumer cannot read, where CDK can know it (a table made in this app). An imported
 * table's view type is not in the app: a warning says what it must be.
 */
export const checkTableStream = (
  scope: Construct,
  { table, option, viewTypes }: { table: ITable; option: string; viewTypes: StreamViewTypes },
): void => {
  const refuse = (what: string): never => {
    throw new CounterError('InvalidOption', {
      option,
      value: table.node.path,
      expected:
        `a table with a stream of ${viewTypes.join(' or ')} (${what}). For an imported table, ` +
        'give its tableStreamArn to Table.fromTableAttributes; a table without such a stream gets ' +
        `one in place, its data kept: aws dynamodb update-table --table-name <name> --stream-specification StreamEnabled=true,StreamViewType=${viewTypes[0] ?? ''}`,
    });
  };
  if (table.tableStreamArn === undefined) refuse('this one has no stream ARN');
  const declared = declaredStreamViewType(table);
  if (declared === undefined) {
    Annotations.of(scope).addWarningV2(
      `castore-dynamodb-counter:${option}StreamViewType`,
      `The stream view type of ${table.node.path} is not in this app: it must be ${viewTypes.join(' or ')} ` +
        '(aws dynamodb describe-table shows it as StreamSpecification.StreamViewType); another view type fails every record.',
    );
    return;
  }
  const { viewType: declaredViewType } = declared;
  if (declaredViewType === undefined) refuse('this one has none');
  if (!viewTypes.some((viewType) => viewType === declaredViewType))
    refuse(`this one is ${String(declaredViewType)}`);
};

/**
 * The stream view type a table of this app declares (undefined inside when it has no
 * stream); undefined for an imported table or a value known only at deploy time.
 */
const declaredStreamViewType = (table: ITable): { viewType: string | undefined } | undefined => {
  const resource = table.node.defaultChild;
  if (!(resource instanceof CfnTable) && !(resource instanceof CfnGlobalTable)) return undefined;
  const specification = resource.streamSpecification;
  if (specification === undefined) return { viewType: undefined };
  if (Tokenization.isResolvable(specification)) return undefined;
  const { streamViewType } = specification;
  return Token.isUnresolved(streamViewType) ? undefined : { viewType: streamViewType };
};

/**
 * The pipeline's tables: each created with its settings, or the existing one given,
 * checked. The counts table needs a NEW_AND_OLD_IMAGES stream only for reactions.
 */
export const pipelineTables = (
  scope: Construct,
  {
    eventTable,
    countsTable,
    reactions,
    create,
  }: {
    eventTable: TableInput | undefined;
    countsTable: TableInput | undefined;
    reactions: boolean;
    create: {
      eventTable: (settings: TableSettings) => ITable;
      countsTable: (settings: TableSettings) => ITable;
    };
  },
): { eventTable: ITable; countsTable: ITable } => {
  if (isExistingTable(eventTable))
    checkTableStream(scope, {
      table: eventTable,
      option: 'eventTable',
      viewTypes: ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES'],
    });
  if (isExistingTable(countsTable) && reactions)
    checkTableStream(scope, {
      table: countsTable,
      option: 'countsTable',
      viewTypes: ['NEW_AND_OLD_IMAGES'],
    });
  return {
    eventTable: isExistingTable(eventTable) ? eventTable : create.eventTable(eventTable ?? {}),
    countsTable: isExistingTable(countsTable) ? countsTable : create.countsTable(countsTable ?? {}),
  };
};
