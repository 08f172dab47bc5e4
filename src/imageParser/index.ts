export { ImageParser } from './imageParser.js';
export type { ImageParserOptions, ParsedStreamRecord, SkipReason } from './imageParser.js';
export { InvalidStreamRecordError, invalidStreamRecordErrorCode } from './errors.js';
export type { LambdaRecord, StreamRecord, StreamsApiRecord } from './streamRecord.js';
