/** One server-sent event as the client saw it; `comment` for `: ...` lines (heartbeats). */
export interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

export interface SseClient {
  status: number;
  /** Everything received so far, in order. */
  messages: SseMessage[];
  /** True once the server ended the response. */
  ended: () => boolean;
  close(): void;
}

/** Opens an event stream with fetch and parses it as it arrives (Node has no EventSource). */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: SseMessage[] = [];
  let done = false;
  if (res.ok && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done: end } = await reader.read();
          if (end) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const m: SseMessage = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) m.comment = line.slice(1).trim();
              const [, field, v] = /^(\w+): ?(.*)$/.exec(line) ?? [];
              if (field === 'event' || field === 'id' || field === 'data') m[field] = v;
            }
            messages.push(m);
          }
        }
      } catch {
        // aborted by close()
      } finally {
        done = true;
      }
    })();
  } else {
    done = true;
  }
  return { status: res.status, messages, ended: () => done, close: () => abort.abort() };
}
