import WebSocket from 'ws';

export interface WsClient {
  readonly messages: any[];
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Opens a WebSocket and collects its JSON messages; rejects if the upgrade is refused. */
export function openWs(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: any[] = [];
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8'))));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('open', () => resolve({ messages, closed, close: () => ws.close() }));
  });
}
