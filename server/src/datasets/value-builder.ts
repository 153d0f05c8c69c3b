// Builds one JSON value from stream-json tokens (packed values, no streamed pieces), and can
// say where inside the value the last token was: problems in a full JSON file are located
// by path because the parser does not report positions.

export interface JsonToken {
  name: string;
  value?: string;
}

type Container = Record<string, unknown> | unknown[];

export class ValueBuilder {
  private readonly containers: Container[] = [];
  private readonly keys: (string | null)[] = [];
  private pendingKey: string | null = null;
  private root: unknown = undefined;
  /** Characters of text taken in so far, to cap the size of one value. */
  textLength = 0;
  done = false;

  /** Feeds one token; returns true once the value is complete. */
  consume(token: JsonToken): boolean {
    switch (token.name) {
      case 'startObject':
        this.open({});
        break;
      case 'startArray':
        this.open([]);
        break;
      case 'endObject':
      case 'endArray': {
        const closed = this.containers.pop();
        this.pendingKey = this.keys.pop() ?? null;
        this.save(closed);
        break;
      }
      case 'keyValue':
        this.pendingKey = token.value ?? '';
        this.textLength += this.pendingKey.length;
        break;
      case 'stringValue':
        this.textLength += token.value?.length ?? 0;
        this.save(token.value ?? '');
        break;
      case 'numberValue':
        this.save(Number(token.value));
        break;
      case 'nullValue':
        this.save(null);
        break;
      case 'trueValue':
        this.save(true);
        break;
      case 'falseValue':
        this.save(false);
        break;
      default:
        // startString/stringChunk/… only appear when values are streamed, which we turn off.
        break;
    }
    return this.done;
  }

  get value(): unknown {
    return this.root;
  }

  /** Path of the innermost place being filled, e.g. `training_pairs[2].target_response`. */
  path(): string {
    let out = '';
    const levels = this.containers.length;
    for (let level = 0; level < levels; level++) {
      const container = this.containers[level]!;
      const key = level + 1 < levels ? this.keys[level + 1] : this.pendingKey;
      // An open child is added to its parent only when it closes, so its index is the length.
      if (Array.isArray(container)) out += `[${container.length}]`;
      else if (key !== null && key !== undefined) out += out === '' ? key : `.${key}`;
    }
    return out;
  }

  private open(container: Container): void {
    this.keys.push(this.pendingKey);
    this.pendingKey = null;
    this.containers.push(container);
  }

  private save(value: unknown): void {
    const parent = this.containers[this.containers.length - 1];
    if (parent === undefined) {
      this.root = value;
      this.done = true;
      return;
    }
    if (Array.isArray(parent)) {
      parent.push(value);
      return;
    }
    const key = this.pendingKey ?? '';
    // JSON.parse semantics: "__proto__" is an ordinary own key, never the prototype.
    if (key === '__proto__') Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
    else parent[key] = value;
    this.pendingKey = null;
  }
}
