/**
 * Sends webhook deliveries (koyalite.webhooks rows, written by the change trigger in the
 * transaction of the change) to their endpoints, on every instance at once without sending one
 * twice: a delivery is claimed with FOR UPDATE SKIP LOCKED (PENDING and due, or DELIVERING and
 * abandoned for a minute by a crashed instance), POSTed with Standard Webhooks headers
 * (webhook-id = the delivery id, webhook-timestamp, webhook-signature: HMAC-SHA256 with the
 * endpoint's whsec_ key), and recorded: DELIVERED on 2xx; otherwise PENDING again after
 * 1 s · 2^(attempt-1) (±20 % jitter, at most an hour), or FAILED after the endpoint's maxAttempts.
 * Each attempt times out after 10 s. At least once: a crash between the POST and its record
 * sends it again, with the same webhook-id for the receiver to recognise.
 */
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import type { Database } from '../db/database.js';
import type { ColumnCipher } from '../lib/column-cipher.js';
import { sql } from '../lib/sql.js';

export const WEBHOOKS_CHANNEL = 'koyalite_webhooks';

export interface WebhookDeliveryOptions {
  /** deliveries in flight at once on this instance */
  concurrency: number;
  /** how often to sweep for work nobody announced (other instances' retries, abandoned deliveries) */
  pollMs: number;
  timeoutMs: number;
  baseDelayMs: number;
}

const DEFAULTS: WebhookDeliveryOptions = { concurrency: 4, pollMs: 15_000, timeoutMs: 10_000, baseDelayMs: 1000 };
const MAX_DELAY_MS = 3_600_000;

interface Claimed {
  id: string;
  body: string;
  target_url: string;
  attempt_count: number;
  secret: string;
  max_attempts: number;
}

export function retryDelayMs(attempt: number, baseMs: number, random = Math.random): number {
  const exact = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
  return Math.round(exact * (0.8 + 0.4 * random()));
}

export class WebhookDelivery {
  private readonly options: WebhookDeliveryOptions;
  private running = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** wake-ups for the retries this instance scheduled */
  private readonly retries = new Set<NodeJS.Timeout>();
  private unlisten: (() => Promise<void>) | undefined;
  private idle: Array<() => void> = [];

  constructor(
    private readonly db: Database,
    private readonly cipher: ColumnCipher,
    private readonly log: Logger,
    options: Partial<WebhookDeliveryOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(WEBHOOKS_CHANNEL, () => this.wake());
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Stops claiming; waits for deliveries in flight (each bounded by its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
    await this.unlisten?.().catch(() => {});
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Starts one more drainer, up to `concurrency`; a drainer that found work wakes another. */
  private wake(): void {
    if (this.stopped || this.running >= this.options.concurrency) return;
    this.running++;
    void this.drain().finally(() => {
      this.running--;
      if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
  }

  /** Claims and sends deliveries until none is due. */
  private async drain(): Promise<void> {
    while (!this.stopped) {
      let claimed: Claimed | undefined;
      try {
        claimed = await this.claim();
      } catch (err) {
        this.log.error({ err }, 'webhook claim failed');
        return;
      }
      if (!claimed) return;
      this.wake();
      await this.send(claimed);
    }
  }

  private async claim(): Promise<Claimed | undefined> {
    const [row] = await this.db.query<Claimed>(sql`
      UPDATE koyalite.webhooks w
         SET status = 'DELIVERING', attempt_count = w.attempt_count + 1, last_attempt_at = now(), updated_at = now()
        FROM koyalite.webhook_endpoints e
       WHERE e.id = w.endpoint_id
         AND w.id = (SELECT d.id FROM koyalite.webhooks d
                      WHERE (d.status = 'PENDING' AND d.next_attempt_at <= now())
                         OR (d.status = 'DELIVERING' AND d.last_attempt_at < now() - interval '60 seconds')
                      ORDER BY d.next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING w.id::text AS id, w.payload::text AS body, w.target_url, w.attempt_count, e.secret, e.max_attempts`);
    return row;
  }

  private async send(d: Claimed): Promise<void> {
    let status: number | undefined;
    let error: string | undefined;
    try {
      const now = new Date();
      const signature = new Webhook(this.cipher.decrypt(d.secret)).sign(d.id, now, d.body);
      const res = await fetch(d.target_url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'KoyaLite-Webhooks/1',
          'webhook-id': d.id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: d.body,
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      error = (err as Error).name === 'TimeoutError' ? `no response within ${this.options.timeoutMs / 1000} s` : 'connection failed';
    }
    try {
      if (error === undefined) {
        await this.db.query(sql`UPDATE koyalite.webhooks SET status = 'DELIVERED', response_status = ${status}, last_error = NULL, updated_at = now()
          WHERE id = ${d.id}::uuid AND status = 'DELIVERING' AND attempt_count = ${d.attempt_count}`);
      } else if (d.attempt_count >= d.max_attempts) {
        await this.db.query(sql`UPDATE koyalite.webhooks SET status = 'FAILED', response_status = ${status ?? null}, last_error = ${error}, updated_at = now()
          WHERE id = ${d.id}::uuid AND status = 'DELIVERING' AND attempt_count = ${d.attempt_count}`);
      } else {
        const delay = retryDelayMs(d.attempt_count, this.options.baseDelayMs);
        await this.db.query(sql`UPDATE koyalite.webhooks SET status = 'PENDING', response_status = ${status ?? null}, last_error = ${error},
            next_attempt_at = now() + make_interval(secs => ${delay / 1000}), updated_at = now()
          WHERE id = ${d.id}::uuid AND status = 'DELIVERING' AND attempt_count = ${d.attempt_count}`);
        // this instance comes back for it when it is due (the sweep covers the case it cannot)
        const t = setTimeout(() => {
          this.retries.delete(t);
          this.wake();
        }, delay + 20);
        t.unref();
        this.retries.add(t);
      }
    } catch (err) {
      // the row stays DELIVERING and is claimed again after a minute
      this.log.error({ err, delivery: d.id }, 'webhook outcome not recorded');
    }
  }
}
