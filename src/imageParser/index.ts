export type { ImageParserOptions, ParsedStreamRecord, SkipReason } from './imageParser.js';
export { ImageParser } from './imageParser.js';
export type { LambdaRecord, StreamRecord, StreamsApiRecord } from './streamRecord.js';
export { oldestRecordAgeMs, readRecordFields, recordCreatedAtMs } from './streamRecord.js';
