/** A short, printable form of a value for error messages (values can be huge or binary). */
export const describeValue = (value: unknown): string => {
  if (typeof value === 'string' && value.length > 200)
    return `${JSON.stringify(value.slice(0, 200))}… (${value.length} characters)`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters)` : text;
};
