export { fromLambdaRecord } from './fromLambdaRecord.js';
export type { ImageParserOptions, ParsedStreamRecord, SkipReason } from './imageParser.js';
export { ImageParser } from './imageParser.js';
export type { LambdaRecord, StreamRecord, StreamsApiRecord } from './streamRecord.js';
export {
  fromSortableSequenceNumber,
  oldestRecordAgeMs,
  readRecordFields,
  recordCreatedAtMs,
  sortableSequenceNumber,
} from './streamRecord.js';
