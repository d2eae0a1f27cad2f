import { useState } from 'preact/hooks';
import { jsonNumberText, type JsonNode } from '../shared/decode';

const MAX_CHILDREN = 500;

function scalar(node: JsonNode): string {
  switch (node.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(node.value);
    // A number that would lose precision as a JS number keeps its source text.
    case 'number':
      return jsonNumberText(node);
    case 'string':
      return JSON.stringify(node.value);
    default:
      return '';
  }
}

export function JsonTree({ node, name, depth = 0 }: { node: JsonNode; name?: string; depth?: number }) {
  const [open, setOpen] = useState(depth < 2);
  const label = name !== undefined ? <span class="key">{name}: </span> : null;
  if (node.type !== 'object' && node.type !== 'array') {
    return (
      <div class={`json-line json-${node.type}`}>
        {label}
        <span class="value">{scalar(node)}</span>
      </div>
    );
  }
  const children = node.type === 'object' ? node.entries.map((e) => [e.key, e.value] as const) : node.items.map((v, i) => [String(i), v] as const);
  const brackets = node.type === 'object' ? ['{', '}'] : ['[', ']'];
  return (
    <div class="json-line">
      <span class="toggle" onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'}
      </span>
      {label}
      {brackets[0]}
      {!open && ` … ${children.length} ${node.type === 'object' ? 'keys' : 'items'} `}
      {open && (
        <div class="json-children">
          {children.slice(0, MAX_CHILDREN).map(([k, v]) => (
            <JsonTree key={k} node={v} name={k} depth={depth + 1} />
          ))}
          {children.length > MAX_CHILDREN && <div class="more">… {children.length - MAX_CHILDREN} more</div>}
        </div>
      )}
      {brackets[1]}
    </div>
  );
}
