/** The one reading of a list the administrator types: entries split by commas, spaces or new lines. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}
