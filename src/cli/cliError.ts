import {
  errorMessageOf,
  isAwsError,
  isCounterError,
  networkErrorCode,
  stillFailing,
} from '../shared/index.js';
import { errorCodeOf } from '../streamBatch/index.js';
import { ENDPOINT_VARIABLES, type ServiceEndpoint, serviceEndpoint } from './frame/endpoints.js';
import { DEFAULT_ENDPOINT_REGION } from './frame/region.js';

/** The one line printed for an error a user can meet; a stack trace only with DEBUG set. */
export interface CliErrorContext {
  /** Where the client that failed sends its requests (DynamoDB's or the Streams API's). */
  endpoint?: ServiceEndpoint | undefined;
  /** The command that ran: only `demo` can start an embedded DynamoDB Local. */
  command?: string | undefined;
  /** The tables the command was given, to name the missing one. */
  tables?: string[] | undefined;
  /** run's --max-retries. */
  maxRetries?: number | undefined;
}

export const describeCliError = (error: unknown, context: CliErrorContext): string => {
  // A usage mistake and DynamoDB Local's start say their fix themselves, in one line.
  if (isCounterError(error, 'CliUsage') || isCounterError(error, 'DynamoDBLocalStart'))
    return error.message;
  if (!(error instanceof Error)) return `Unexpected error: ${String(error)}`;
  for (const describe of DESCRIBERS) {
    const line = describe(error, context);
    if (line !== undefined) return line;
  }
  if (isCounterError(error)) return `${error.code}: ${error.message}`;
  return `Unexpected error: ${error.name}: ${error.message}`;
};

type Describer = (error: Error, context: CliErrorContext) => string | undefined;

const tableNotFound: Describer = (error, context) => {
  if (!isAwsError(error, 'ResourceNotFoundException')) return undefined;
  const names = context.tables?.length ? ` (this command uses ${context.tables.join(', ')})` : '';
  return `${error.message.replace(/\.$/, '')}${names}: is the table name right? Create the tables with \`castore-dynamodb-counter tables create\`.`;
};

const unreachable: Describer = (error, context) => {
  const code = networkErrorCode(error);
  if (code === undefined) return undefined;
  const endpoint = context.endpoint ?? serviceEndpoint('DynamoDB', undefined);
  const embedded =
    context.command === 'demo' ? ', or leave it out to start an embedded DynamoDB Local' : '';
  return `Cannot reach ${endpoint.service} at ${where(endpoint)} (${code}): ${whatToCheck(endpoint)}${embedded}.`;
};

const where = ({ url, from }: ServiceEndpoint): string =>
  url === undefined ? 'the default AWS endpoint' : from === '--endpoint' ? url : `${url} (${from})`;

/** The setting to fix: --endpoint (which serves both clients), or the variable the SDK read or would read. */
const whatToCheck = ({ service, url, from }: ServiceEndpoint): string => {
  if (url !== undefined)
    return from === '--endpoint' ? 'check --endpoint' : `check ${from}, or pass --endpoint`;
  if (service === 'DynamoDB') return 'check --endpoint';
  const own = ENDPOINT_VARIABLES[service];
  const dynamoDB = ENDPOINT_VARIABLES.DynamoDB;
  return serviceEndpoint('DynamoDB', undefined).from === dynamoDB
    ? `${dynamoDB} is set, but the Streams client reads ${own}: set it too (for DynamoDB Local, the same URL), or pass --endpoint, which serves both`
    : `set ${own}, or pass --endpoint, which serves both DynamoDB and its Streams`;
};

const notDynamoDB: Describer = (error, context) => {
  const answer = nonJsonAnswer(error);
  if (answer === undefined) return undefined;
  const endpoint = context.endpoint ?? serviceEndpoint('DynamoDB', undefined);
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const signed =
    region === undefined
      ? `requests were signed for ${DEFAULT_ENDPOINT_REGION}, since AWS_REGION is not set`
      : `requests were signed for ${region} (AWS_REGION)`;
  return `The server at ${where(endpoint)} answered HTTP ${answer.status}, not with ${endpoint.service}'s JSON (its answer begins ${answer.begins}): is ${endpoint.from ?? '--endpoint'} a DynamoDB? A server that checks regions refuses one it does not serve: ${signed}.`;
};

const awsSetUp: Describer = (error) => {
  if (/Region is missing/i.test(error.message))
    return 'No AWS region was found: set AWS_REGION, or a region in the profile of AWS_PROFILE (~/.aws/config), or pass --endpoint to use DynamoDB Local.';
  if (error.name === 'CredentialsProviderError')
    return 'No AWS credentials were found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or pass --endpoint to use DynamoDB Local.';
  if (error.name === 'UnrecognizedClientException')
    return `DynamoDB refused the credentials (${error.name}): check AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.`;
  return undefined;
};

/**
 * run without a dead letter: past its retries a failing batch stops it. Says a few of its
 * records (a batch may hold thousands), why its last attempt failed (as the failure log
 * says it), and how to go on.
 */
const runGaveUp: Describer = (error, { command, maxRetries }) => {
  if (command !== 'run' || maxRetries === undefined) return undefined;
  if (!isCounterError(error, 'UndeliverableRecords')) return undefined;
  const { cause } = error;
  const why =
    cause === undefined
      ? '.'
      : `; the last attempt failed with ${errorCodeOf(cause)}: ${errorMessageOf(cause).replace(/([^.])$/, '$1.')}`;
  return `UndeliverableRecords: ${stillFailing(error.sequenceNumbers, error.shardId)} after ${maxRetries + 1} attempts (--max-retries ${maxRetries})${why} The run stopped rather than skip them: fix the cause, then run again; it starts from its checkpoint. --max-retries -1 retries until it succeeds.`;
};

const DESCRIBERS: Describer[] = [tableNotFound, unreachable, notDynamoDB, awsSetUp, runGaveUp];

/**
 * An answer that is not JSON (an HTML error page of a proxy or of a server that is not
 * DynamoDB): the SDK throws the parser's SyntaxError, with the status in $metadata.
 */
const nonJsonAnswer = (error: Error): { status: number; begins: string } | undefined => {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  if (error.name !== 'SyntaxError' || typeof status !== 'number') return undefined;
  const begins = /"([^"]*)"\.\.\./.exec(error.message)?.[1];
  return { status, begins: begins !== undefined ? `"${begins}"` : 'with something else' };
};
