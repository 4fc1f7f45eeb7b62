import type { AddressInfo } from 'node:net';
import express from 'express';

export interface ConnectorRequest {
  method: string;
  path: string;
  conversationId: string | null;
  activityId: string | null;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * A local stand-in for the Bot Connector service (what Teams' serviceUrl points at): the
 * REST paths the CloudAdapter calls to send, reply to and update activities. It records
 * every request and answers { id } as the real service does, so the real botbuilder code
 * path runs end to end on loopback. Anything else is recorded and answered 404.
 */
export async function startConnectorStandIn() {
  const requests: ConnectorRequest[] = [];
  let counter = 0;
  let failures: number[] = [];
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  const record = (req: express.Request, conversationId: string | null, activityId: string | null) => {
    requests.push({ method: req.method, path: req.path, conversationId, activityId, headers: { ...req.headers }, body: req.body });
    const status = failures.shift();
    return status;
  };
  const answer = (res: express.Response, status: number | undefined, body: object) => {
    if (status) res.status(status).json({ error: { code: 'ServiceError', message: `stand-in failure ${status}` } });
    else res.status(200).json(body);
  };
  // sendToConversation
  app.post('/v3/conversations/:conversationId/activities', (req, res) => {
    answer(res, record(req, req.params.conversationId, null), { id: `activity-${++counter}` });
  });
  // replyToActivity
  app.post('/v3/conversations/:conversationId/activities/:activityId', (req, res) => {
    answer(res, record(req, req.params.conversationId, req.params.activityId), { id: `activity-${++counter}` });
  });
  // updateActivity
  app.put('/v3/conversations/:conversationId/activities/:activityId', (req, res) => {
    answer(res, record(req, req.params.conversationId, req.params.activityId), { id: req.params.activityId });
  });
  app.use((req, res) => {
    record(req, null, null);
    res.status(404).json({ error: { code: 'NotFound', message: `stand-in does not implement ${req.method} ${req.path}` } });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    /** The serviceUrl to put in activities. */
    url,
    requests,
    /** Sent and replied activities (POST), in order. */
    sent: () => requests.filter((r) => r.method === 'POST'),
    /** Card updates (PUT). */
    updates: () => requests.filter((r) => r.method === 'PUT'),
    /** The next requests answer with these HTTP statuses (one each), then normal service resumes. */
    failNext: (...statuses: number[]) => {
      failures = statuses;
    },
    reset: () => {
      requests.length = 0;
      failures = [];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
