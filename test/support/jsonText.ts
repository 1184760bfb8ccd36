/**
 * A model of JSON documents that can express what JSON.stringify cannot write:
 * duplicate keys, escaped keys and values, number lexemes such as 1.50, -0 or
 * 1e400, and whitespace anywhere between tokens. The property tests generate
 * these and compare the streaming scanners with JSON.parse-based references.
 */
export type JsonNode =
  /** A literal or number, written as it is. */
  | { kind: 'raw'; text: string }
  | { kind: 'string'; value: string; escapeAll: boolean }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'object'; entries: [JsonNode & { kind: 'string' }, JsonNode][] };

/** Serialises a node, taking the whitespace between tokens from `whitespace` in turn. */
export function serializeJson(node: JsonNode, whitespace: readonly string[]): string {
  let turn = 0;
  const ws = (): string => whitespace[turn++ % whitespace.length];
  const write = (value: JsonNode): string => {
    switch (value.kind) {
      case 'raw':
        return value.text;
      case 'string':
        return value.escapeAll
          ? `"${[...Array(value.value.length).keys()].map((k) => `\\u${value.value.charCodeAt(k).toString(16).padStart(4, '0')}`).join('')}"`
          : JSON.stringify(value.value);
      case 'array':
        return `[${ws()}${value.items.map((item) => write(item) + ws()).join(`,${ws()}`)}]`;
      case 'object':
        return `{${ws()}${value.entries.map(([key, item]) => `${write(key)}${ws()}:${ws()}${write(item)}${ws()}`).join(`,${ws()}`)}}`;
    }
  };
  return ws() + write(node) + ws();
}
