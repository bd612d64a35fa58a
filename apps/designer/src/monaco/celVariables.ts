import { builtInParameterDefaults } from '@orderloom/engine';
import { type JsonSchema, openApiComponents } from '@orderloom/schema';

/**
 * A variable (or a field of one) that a CEL expression can read, as the CEL editor offers it for
 * completion: `facts` → `wms` → `outboundNo`.
 */
export interface CelVariable {
  name: string;
  /** A short type, shown next to the name (`string`, `double`, `map`, `list`, `bool`…). */
  detail: string;
  /** A sentence on where the value comes from. */
  documentation?: string;
  /** Fields of a map whose keys are known. */
  fields?: readonly CelVariable[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface FactSetter {
  system: string;
  code: string;
  label: string;
  expression: string;
}

/** A tree of fact paths, built from the `sets` keys of every system status. */
interface FactNode {
  children: Map<string, FactNode>;
  setters: FactSetter[];
}

const newFactNode = (): FactNode => ({ children: new Map(), setters: [] });

function factExpressionType(expression: string): string {
  const trimmed = expression.trim();
  if (trimmed === 'true' || trimmed === 'false') return 'bool';
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return 'number';
  if (/^(["']).*\1$/.test(trimmed)) return 'string';
  if (trimmed === 'event.occurredAt') return 'string (time)';
  return 'dyn';
}

function factVariable(name: string, node: FactNode, path: string): CelVariable {
  const fields = [...node.children.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([child, childNode]) => factVariable(child, childNode, `${path}.${child}`));
  const setBy = node.setters.map(
    (s) => `${s.system} ${s.code}${s.label ? ` (${s.label})` : ''} ← \`${s.expression}\``,
  );
  const types = [...new Set(node.setters.map((s) => factExpressionType(s.expression)))];
  const variable: CelVariable = {
    name,
    detail: fields.length > 0 && node.setters.length === 0 ? 'map' : types.join(' | ') || 'map',
    documentation:
      setBy.length > 0
        ? `facts.${path}, set by ${setBy.join('; ')}. Absent until such an event arrives: test it with has(facts.${path}).`
        : `facts.${path}: facts reported under this namespace.`,
  };
  return fields.length > 0 ? { ...variable, fields } : variable;
}

/**
 * The variables a status-graph guard sees (the engine's `transition`: `{ facts, order: { id, channel },
 * channel }`), with `facts` completed from what the graph's dictionaries set: every system is a fact
 * namespace, and each `sets` key (`wms.outboundNo`) a field below it.
 *
 * Reads the systems defensively, since an unsaved draft may hold anything.
 *
 * @example
 * statusGraphGuardVariables(draft.systems).find((v) => v.name === 'facts')?.fields?.map((f) => f.name);
 * // → ['carrier', 'crm', 'finance', 'wms', …]
 */
export function statusGraphGuardVariables(systems: unknown): CelVariable[] {
  const root = newFactNode();
  for (const system of Array.isArray(systems) ? systems : []) {
    if (!isRecord(system) || typeof system.id !== 'string') continue;
    if (!root.children.has(system.id)) root.children.set(system.id, newFactNode());
    for (const status of Array.isArray(system.statuses) ? system.statuses : []) {
      if (!isRecord(status) || !isRecord(status.sets)) continue;
      for (const [path, expression] of Object.entries(status.sets)) {
        const segments = path.split('.').filter((s) => s !== '');
        if (segments.length === 0) continue;
        let node = root;
        for (const segment of segments) {
          let child = node.children.get(segment);
          if (!child) {
            child = newFactNode();
            node.children.set(segment, child);
          }
          node = child;
        }
        node.setters.push({
          system: system.id,
          code: typeof status.code === 'string' ? status.code : '?',
          label: typeof status.label === 'string' ? status.label : '',
          expression: typeof expression === 'string' ? expression : '',
        });
      }
    }
  }
  const namespaces = [...root.children.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, node]) => factVariable(name, node, name));
  return [
    {
      name: 'facts',
      detail: 'map',
      documentation:
        "The order's accumulated evidence: what each system's status codes set (see the Systems panel).",
      fields: namespaces,
    },
    {
      name: 'order',
      detail: 'map',
      documentation: 'The order the event is about.',
      fields: [
        { name: 'id', detail: 'string', documentation: 'The order id.' },
        {
          name: 'channel',
          detail: 'string | null',
          documentation: 'Sales channel, from the first event that named one (null until then).',
        },
      ],
    },
    {
      name: 'channel',
      detail: 'string | null',
      documentation: "Same as order.channel: the order's sales channel (e.g. douyin).",
    },
  ];
}

const jsonTypeNames: Record<string, string> = {
  string: 'string',
  number: 'double',
  integer: 'double',
  boolean: 'bool',
  array: 'list',
  object: 'map',
  null: 'null',
};

function schemaType(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return `string (${schema.enum.join(' | ')})`;
  const type = schema.type;
  if (typeof type === 'string') return jsonTypeNames[type] ?? type;
  if (Array.isArray(type)) return type.map((t) => jsonTypeNames[t] ?? t).join(' | ');
  return 'dyn';
}

/** The fields of a JSON Schema object, as CEL variables (nested objects become maps with fields). */
function schemaFields(schema: JsonSchema): CelVariable[] {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  return Object.entries(properties).map(([name, value]) => {
    const property = (isRecord(value) ? value : {}) as JsonSchema;
    const fields = property.type === 'object' ? schemaFields(property) : [];
    return {
      name,
      detail: schemaType(property),
      ...(typeof property.description === 'string' ? { documentation: property.description } : {}),
      ...(fields.length > 0 ? { fields } : {}),
    };
  });
}

let factSchemas: { order: CelVariable[]; warehouse: CelVariable[]; lane: CelVariable[] } | undefined;

/** Fields of the order, warehouse and lane facts, from the shared zod schemas (computed once). */
function factFields() {
  if (!factSchemas) {
    const { schemas } = openApiComponents();
    factSchemas = {
      order: schemaFields(schemas.Order),
      warehouse: schemaFields(schemas.WarehouseFact),
      lane: schemaFields(schemas.LaneFact),
    };
  }
  return factSchemas;
}

/** Where a routing expression sits: a segment's `when`, or a custom constraint/factor (per candidate). */
export type RoutingCelSite = 'segment' | 'candidate';

/**
 * The variables a routing expression sees, as `compileRouting` builds them. Segment `when`: `order`,
 * `customer`, `channel`, `destination`, `params`. Custom constraints and factors: `order`, `warehouse`,
 * `lane`, `candidate` and `params`. `params` lists the strategy's parameters and the engine's built-in
 * defaults.
 */
export function routingCelVariables(parameters: unknown, site: RoutingCelSite): CelVariable[] {
  const { order, warehouse, lane } = factFields();
  const params = new Map<string, CelVariable>();
  for (const parameter of Array.isArray(parameters) ? parameters : []) {
    if (!isRecord(parameter) || typeof parameter.name !== 'string') continue;
    params.set(parameter.name, {
      name: parameter.name,
      detail: 'double',
      documentation:
        typeof parameter.description === 'string' && parameter.description
          ? parameter.description
          : `Parameter ${parameter.name} (its promotion window's value while one is open).`,
    });
  }
  for (const [name, value] of Object.entries(builtInParameterDefaults)) {
    if (!params.has(name)) {
      params.set(name, { name, detail: 'double', documentation: `Built-in parameter, ${value} unless set.` });
    }
  }
  const paramsVariable: CelVariable = {
    name: 'params',
    detail: 'map',
    documentation: 'Effective parameter values for this order (windows and segment overrides applied).',
    fields: [...params.values()],
  };
  const orderVariable: CelVariable = {
    name: 'order',
    detail: 'map',
    documentation: 'The order being routed.',
    fields: order,
  };
  if (site === 'segment') {
    const field = (name: string) => order.find((f) => f.name === name);
    const alias = (name: string, documentation: string): CelVariable[] => {
      const found = field(name);
      return found ? [{ ...found, documentation }] : [];
    };
    return [
      orderVariable,
      ...alias('customer', 'Same as order.customer.'),
      ...alias('channel', 'Same as order.channel.'),
      ...alias('destination', 'Same as order.destination.'),
      paramsVariable,
    ];
  }
  return [
    orderVariable,
    {
      name: 'warehouse',
      detail: 'map',
      documentation: "The candidate's warehouse (stock reduced to the order's SKUs).",
      fields: warehouse,
    },
    { name: 'lane', detail: 'map', documentation: "The candidate's carrier lane.", fields: lane },
    {
      name: 'candidate',
      detail: 'map',
      documentation: 'The (warehouse, lane) pair being scored, with the values the engine derived.',
      fields: [
        { name: 'warehouse', detail: 'string', documentation: 'Warehouse id.' },
        { name: 'lane', detail: 'string', documentation: 'Lane id.' },
        { name: 'tier', detail: 'string (own | regional | 3pl)', documentation: 'Warehouse tier.' },
        { name: 'weightKg', detail: 'double', documentation: 'Total order weight in kg.' },
        {
          name: 'weather',
          detail: 'double',
          documentation: 'Reliability multiplier of the alerts that apply (1 without alerts, e.g. 0.63).',
        },
        {
          name: 'etaHours',
          detail: 'double',
          documentation: "The lane's ETA divided by the weather reliability.",
        },
        {
          name: 'remainingCapacity',
          detail: 'double',
          documentation: 'capacityPerDay − load of the warehouse.',
        },
        { name: 'cost', detail: 'double', documentation: 'Shipping cost of the order on this lane.' },
        { name: 'carbon', detail: 'double', documentation: 'kg CO₂ of the order on this lane.' },
      ],
    },
    paramsVariable,
  ];
}
