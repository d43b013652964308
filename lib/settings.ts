/**
 * Effective group settings: for each key, the value from the user's group with the lowest
 * priority number that sets it (the documentation's "lower priority values take precedence").
 */
export interface GroupWithSettings {
  id: string;
  name: string;
  priority: number;
  settings: { key: string; value: string }[];
}

export interface EffectiveSetting {
  key: string;
  value: string;
  fromGroup: string;
  /** Other groups that set the key too and lost on priority. */
  overridden: { group: string; value: string }[];
}

export function effectiveSettings(groups: GroupWithSettings[]): EffectiveSetting[] {
  const ordered = [...groups].sort((a, b) => a.priority - b.priority);
  const result = new Map<string, EffectiveSetting>();
  for (const group of ordered) {
    for (const { key, value } of group.settings) {
      const winner = result.get(key);
      if (winner) winner.overridden.push({ group: group.name, value });
      else result.set(key, { key, value, fromGroup: group.name, overridden: [] });
    }
  }
  return [...result.values()].sort((a, b) => a.key.localeCompare(b.key));
}
