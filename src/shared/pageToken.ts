/**
 * The one page-token format: base64url JSON, opaque to callers, versioned so that its
 * layout can change later. Each listing checks the content is its own (which store,
 * which counter and key) on top of this.
 */
const TOKEN_VERSION = 1;

export const encodePageToken = (content: object): string =>
  Buffer.from(JSON.stringify({ v: TOKEN_VERSION, ...content }), 'utf8').toString('base64url');

/** The token's content, or undefined when it is no token of this format (garbled, another version). */
export const decodePageToken = (pageToken: unknown): Record<string, unknown> | undefined => {
  if (typeof pageToken !== 'string' || !/^[A-Za-z0-9_-]+$/.test(pageToken)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const { v, ...content } = parsed as Record<string, unknown>;
    return v === TOKEN_VERSION ? content : undefined;
  } catch {
    return undefined;
  }
};
