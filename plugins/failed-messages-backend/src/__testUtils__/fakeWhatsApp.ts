import { once } from 'node:events';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface FakeWhatsAppRequest {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Record<string, any>;
}

/** What the stand-in answers to one send. */
export type FakeAnswer =
  /** Accepts, after `delayMs` or once `after` resolves (a send held open). */
  | { accept: true; delayMs?: number; after?: Promise<void> }
  | { status: number; body?: unknown }
  /** Answers text of a content type (none when not given), e.g. a proxy's page. */
  | { status: number; text: string; contentType?: string }
  /** Never answers: the sender waits, as for a process that died mid-send. */
  | { hang: true }
  /** Sends 200 headers and part of a body, then nothing more. */
  | { stallAfterHeaders: true }
  /** Drops the connection once it has read the request. */
  | { resetAfterBody: true };

/** An acceptance Meta holds open until `release` is called. */
export function heldAcceptance() {
  let release = () => {};
  const after = new Promise<void>(resolve => {
    release = resolve;
  });
  return { answer: { accept: true, after } as FakeAnswer, release };
}

/**
 * A local HTTP server standing in for Meta's Cloud API send endpoint. It
 * records every request, so tests can count sends.
 */
export async function startFakeWhatsApp(
  answer: (request: FakeWhatsAppRequest) => FakeAnswer = () => ({
    accept: true,
  }),
) {
  const requests: FakeWhatsAppRequest[] = [];
  let sequence = 0;
  const server = createServer(
    async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) {
        chunks.push(chunk as Buffer);
      }
      const request: FakeWhatsAppRequest = {
        path: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
      };
      requests.push(request);
      const reply = answer(request);
      if ('hang' in reply) {
        return;
      }
      if ('resetAfterBody' in reply) {
        req.socket.resetAndDestroy();
        return;
      }
      if ('stallAfterHeaders' in reply) {
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': '200',
        });
        res.write('{"messaging_product":"whatsapp","messages":[{"id":"wamid.');
        return;
      }
      if ('text' in reply) {
        res.statusCode = reply.status;
        if (reply.contentType) {
          res.setHeader('Content-Type', reply.contentType);
        }
        res.end(reply.text);
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      if ('accept' in reply) {
        if (reply.delayMs) {
          await new Promise(resolve => setTimeout(resolve, reply.delayMs));
        }
        await reply.after;
        sequence += 1;
        res.end(
          JSON.stringify({
            messaging_product: 'whatsapp',
            contacts: [{ input: request.body.to, wa_id: request.body.to }],
            messages: [{ id: `wamid.FAKE${sequence}` }],
          }),
        );
        return;
      }
      res.statusCode = reply.status;
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    /** How many connections to it are open now. */
    openConnections: () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((error, count) =>
          error ? reject(error) : resolve(count),
        ),
      ),
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type FakeWhatsApp = Awaited<ReturnType<typeof startFakeWhatsApp>>;

/** A Graph API error body as Meta sends it. */
export function graphError(code: number, title: string, details?: string) {
  return {
    error: {
      message: `(#${code}) ${title}`,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details: details ?? title },
      fbtrace_id: 'AbCdEf',
    },
  };
}
