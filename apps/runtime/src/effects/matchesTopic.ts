/**
 * Whether a subscription's topic pattern selects a topic: `*` selects everything, `alert.*` every
 * topic starting with `alert.`, anything else only the identical topic.
 *
 * @example
 * matchesTopic('alert.*', 'alert.sla'); // true
 * matchesTopic('alert.*', 'alert'); // false
 */
export function matchesTopic(pattern: string, topic: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return topic.startsWith(pattern.slice(0, -1));
  return pattern === topic;
}
