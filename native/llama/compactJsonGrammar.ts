/**
 * GBNF for the JSON-schema subset our structured calls use, with no freedom in whitespace, property order or
 * optional parts. node-llama-cpp's own schema grammar lets the model spend tokens on newlines and indentation;
 * on a small context those tokens are exactly what cuts the object short. Here every token is content.
 *
 * Supported: objects (all listed properties, in order), strings with minLength/maxLength, arrays of one item
 * schema with minItems/maxItems, enums of JSON literals, integers, booleans.
 */
export function compactJsonGrammar(schema: object): string {
  const rules = new Map<string, string>();
  rules.set('char', String.raw`[^"\\\x00-\x1f] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F])`);
  const root = expression(schema as Schema, rules, 'root');
  return [`root ::= ${root}`, ...[...rules].map(([name, body]) => `${name} ::= ${body}`)].join('\n');
}

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: readonly unknown[];
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

function expression(schema: Schema, rules: Map<string, string>, path: string): string {
  if (schema.enum) return `(${schema.enum.map((v) => literal(JSON.stringify(v))).join(' | ')})`;
  switch (schema.type) {
    case 'object': {
      const entries = Object.entries(schema.properties ?? {});
      const parts = entries.map(([key, value], i) => {
        const name = rule(rules, `${path}-${i}`, expression(value, rules, `${path}-${i}`));
        return `${literal(`${i === 0 ? '{' : ','}${JSON.stringify(key)}:`)} ${name}`;
      });
      return entries.length === 0 ? literal('{}') : `${parts.join(' ')} ${literal('}')}`;
    }
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = schema.maxLength;
      return `${literal('"')} char{${min},${max ?? ''}} ${literal('"')}`;
    }
    case 'array': {
      const item = rule(rules, `${path}-item`, expression(schema.items ?? {}, rules, `${path}-item`));
      const min = schema.minItems ?? 0;
      const max = schema.maxItems;
      if (max === 0) return literal('[]');
      const more = `(${literal(',')} ${item}){${Math.max(0, min - 1)},${max === undefined ? '' : max - 1}}`;
      const body = `${item} ${more}`;
      return min === 0 ? `${literal('[')} (${body})? ${literal(']')}` : `${literal('[')} ${body} ${literal(']')}`;
    }
    case 'integer':
      return `"-"? [0-9]{1,15}`;
    case 'boolean':
      return `(${literal('true')} | ${literal('false')})`;
    default:
      throw new Error(`compactJsonGrammar does not support ${JSON.stringify(schema)}`);
  }
}

function rule(rules: Map<string, string>, name: string, body: string): string {
  rules.set(name, body);
  return name;
}

/** A GBNF string literal: quotes and backslashes escaped. */
function literal(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
