import { type ASTNode, parse } from '@marcbachmann/cel-js';

/**
 * The fact paths a CEL expression reads under the `facts` variable, as dotted paths
 * (`has(facts.wms.outboundNo) && facts["finance"].paymentConfirmed` → `['wms.outboundNo',
 * 'finance.paymentConfirmed']`). An expression that reads `facts` as a whole yields `''`.
 * Returns `[]` for an expression that does not parse.
 */
export function factPathsRead(expression: string): string[] {
  let root: ASTNode;
  try {
    root = parse(expression).ast;
  } catch {
    return [];
  }
  const paths = new Set<string>();
  const visit = (node: ASTNode): void => {
    const chain = factChain(node);
    if (chain !== undefined) {
      paths.add(chain.join('.'));
      return;
    }
    for (const child of childNodes(node.args)) visit(child);
  };
  visit(root);
  return [...paths];
}

/** Whether the fact path `path` is read by an expression that reads `read` (see {@link factPathsRead}). */
export function factPathCovers(read: string, path: string): boolean {
  return read === '' || read === path || path.startsWith(`${read}.`) || read.startsWith(`${path}.`);
}

/** The member chain below `facts` that `node` denotes, or undefined when it is not one. */
function factChain(node: ASTNode): string[] | undefined {
  switch (node.op) {
    case 'id':
      return node.args === 'facts' ? [] : undefined;
    case '.':
    case '.?': {
      const base = factChain(node.args[0]);
      return base && [...base, node.args[1]];
    }
    case '[]':
    case '[?]': {
      const [target, index] = node.args;
      if (index.op !== 'value' || typeof index.args !== 'string') return undefined;
      const base = factChain(target);
      return base && [...base, index.args];
    }
    default:
      return undefined;
  }
}

function childNodes(args: unknown): ASTNode[] {
  if (isAstNode(args)) return [args];
  if (Array.isArray(args)) return args.flatMap(childNodes);
  return [];
}

function isAstNode(value: unknown): value is ASTNode {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'op' in value && 'args' in value
  );
}
