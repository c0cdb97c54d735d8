/**
 * Webhook endpoints of a project: which events (`<table>.insert|update|delete`, `email.sent`,
 * `email.failed`) go to which URL, signed with the endpoint's `whsec_…` secret (Standard
 * Webhooks; generated when omitted, kept encrypted at rest), retried up to maxAttempts.
 * Deliveries are written by the change trigger (migration 0006) and sent by workers/.
 */
import { randomBytes } from 'node:crypto';
import { badInput, notFound } from '../lib/errors.js';
import { recordAudit } from '../meta/audit.js';
import { actorOf, type AdminContext } from './admin-context.js';
import { projectForChange } from './tables-service.js';

const SECRET = /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/;
const EVENT = /^([a-z][a-z0-9_]{0,62})\.(insert|update|delete)$/;
const SYSTEM_EVENTS = new Set(['email.sent', 'email.failed']);

export interface WebhookEndpointInput {
  projectSlug: string;
  eventTypes: string[];
  targetUrl: string;
  secret?: string | null;
  maxAttempts?: number | null;
}

function validUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badInput('targetUrl must be an http(s) URL', { field: 'targetUrl' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badInput('targetUrl must be an http(s) URL', { field: 'targetUrl' });
  return parsed.toString();
}

async function validEvents(ctx: AdminContext, projectId: string, events: string[]): Promise<string[]> {
  if (events.length === 0) throw badInput('eventTypes must name at least one event', { field: 'eventTypes' });
  const tables = new Set((await ctx.meta.table.findMany({ where: { projectId }, select: { name: true } })).map((t) => t.name));
  for (const e of events) {
    const m = EVENT.exec(e);
    if (SYSTEM_EVENTS.has(e) || (m && tables.has(m[1]!))) continue;
    throw badInput(`eventTypes: ${e.slice(0, 80)} is not <table>.insert|update|delete of a table of this project, email.sent or email.failed`, { field: 'eventTypes' });
  }
  return [...new Set(events)];
}

function validSecret(secret: string): string {
  if (!SECRET.test(secret)) throw badInput('secret must be whsec_ followed by base64 (at least 16 characters)', { field: 'secret' });
  return secret;
}

/** The endpoint a change names, once the caller may manage its project. */
async function endpointForChange(ctx: AdminContext, id: string) {
  const current = await ctx.meta.webhookEndpoint.findUnique({ where: { id }, include: { project: { select: { slug: true } } } }).catch(() => null);
  if (!current) throw notFound('webhook endpoint not found');
  const { principal } = await projectForChange(ctx, current.project.slug);
  return { current, principal };
}

function validAttempts(n: number | null | undefined): number {
  const value = n ?? 8;
  if (!Number.isInteger(value) || value < 1 || value > 100) throw badInput('maxAttempts must be an integer from 1 to 100', { field: 'maxAttempts' });
  return value;
}

/** The endpoint as the admin API shows it: the secret decrypted, for the owner to verify signatures. */
export function endpointView<T extends { secret: string }>(ctx: AdminContext, e: T): T {
  return { ...e, secret: ctx.cipher.decrypt(e.secret) };
}

export async function createWebhookEndpoint(ctx: AdminContext, input: WebhookEndpointInput) {
  const { principal, project } = await projectForChange(ctx, input.projectSlug);
  const eventTypes = await validEvents(ctx, project.id, input.eventTypes);
  const targetUrl = validUrl(input.targetUrl);
  const secret = input.secret != null ? validSecret(input.secret) : `whsec_${randomBytes(32).toString('base64')}`;
  const maxAttempts = validAttempts(input.maxAttempts);
  const endpoint = await ctx.meta.$transaction(async (tx) => {
    const e = await tx.webhookEndpoint.create({ data: { projectId: project.id, eventTypes, targetUrl, secret: ctx.cipher.encrypt(secret), maxAttempts } });
    await recordAudit(tx, { ...actorOf(principal), projectId: project.id, action: 'webhook_endpoint.create', targetType: 'WebhookEndpoint', targetId: e.id, metadata: { eventTypes, targetUrl, maxAttempts } });
    return e;
  });
  return endpointView(ctx, endpoint);
}

export async function updateWebhookEndpoint(ctx: AdminContext, input: { id: string; eventTypes?: string[] | null; targetUrl?: string | null; secret?: string | null; maxAttempts?: number | null; enabled?: boolean | null }) {
  const { current, principal } = await endpointForChange(ctx, input.id);
  const data: Record<string, unknown> = {};
  if (input.eventTypes != null) data.eventTypes = await validEvents(ctx, current.projectId, input.eventTypes);
  if (input.targetUrl != null) data.targetUrl = validUrl(input.targetUrl);
  if (input.maxAttempts != null) data.maxAttempts = validAttempts(input.maxAttempts);
  if (input.enabled != null) data.enabled = input.enabled;
  if (input.secret != null) {
    data.secret = ctx.cipher.encrypt(validSecret(input.secret));
  }
  const endpoint = await ctx.meta.$transaction(async (tx) => {
    const e = await tx.webhookEndpoint.update({ where: { id: current.id }, data });
    await recordAudit(tx, { ...actorOf(principal), projectId: current.projectId, action: 'webhook_endpoint.update', targetType: 'WebhookEndpoint', targetId: e.id, metadata: { changed: Object.keys(data) } });
    return e;
  });
  return endpointView(ctx, endpoint);
}

export async function deleteWebhookEndpoint(ctx: AdminContext, input: { id: string }) {
  const { current, principal } = await endpointForChange(ctx, input.id);
  const endpoint = await ctx.meta.$transaction(async (tx) => {
    const e = await tx.webhookEndpoint.delete({ where: { id: current.id } });
    await recordAudit(tx, { ...actorOf(principal), projectId: current.projectId, action: 'webhook_endpoint.delete', targetType: 'WebhookEndpoint', targetId: e.id, metadata: { targetUrl: e.targetUrl } });
    return e;
  });
  return endpointView(ctx, endpoint);
}
