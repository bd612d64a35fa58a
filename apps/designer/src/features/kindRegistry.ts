import type { DefinitionKind } from '@orderloom/schema';
import { journeyKind } from './journey/journeyKind.ts';
import type { KindDescriptor } from './kindDescriptor.ts';
import { playbookKind } from './playbook/playbookKind.ts';
import { routingKind } from './routing/routingKind.ts';
import { statusGraphKind } from './status-graph/statusGraphKind.ts';

/** The four kinds, in navigation order. */
export const kindDescriptors: readonly KindDescriptor[] = [
  routingKind,
  statusGraphKind,
  playbookKind,
  journeyKind,
];

/** Descriptor of a kind. */
export function describeKind(kind: DefinitionKind): KindDescriptor {
  const found = kindDescriptors.find((d) => d.kind === kind);
  if (!found) throw new Error(`unknown kind ${kind}`);
  return found;
}

/** Narrows a URL segment to a kind. */
export function parseKind(value: string | undefined): DefinitionKind | null {
  return kindDescriptors.some((d) => d.kind === value) ? (value as DefinitionKind) : null;
}
