/**
 * Control-plane fields for webhooks.
 *
 *   enum WebhookStatus { PENDING DELIVERING DELIVERED FAILED }
 *   type WebhookEndpoint { id eventTypes: [String!]! targetUrl secret maxAttempts enabled createdAt }
 *   type Webhook { id endpointId eventType status attemptCount lastAttemptAt nextAttemptAt lastError responseStatus payload: JSON! createdAt }
 *   extend type Query { webhookEndpoints(projectSlug: String!): [WebhookEndpoint!]!
 *                       webhooks(projectSlug: String!, status: WebhookStatus, limit: Int = 100): [Webhook!]! }
 *   extend type Mutation { createWebhookEndpoint(input: WebhookEndpointInput!): WebhookEndpoint!
 *                          updateWebhookEndpoint(input: UpdateWebhookEndpointInput!): WebhookEndpoint!
 *                          deleteWebhookEndpoint(input: DeleteWebhookEndpointInput!): WebhookEndpoint! }
 */
import { badInput } from '../lib/errors.js';
import { builder } from './admin-builder.js';
import { requirePermission } from './admin-context.js';
import { createWebhookEndpoint, deleteWebhookEndpoint, endpointView, updateWebhookEndpoint } from './webhooks-service.js';

const StatusEnum = builder.enumType('WebhookStatus', { values: ['PENDING', 'DELIVERING', 'DELIVERED', 'FAILED'] as const });

interface EndpointShape {
  id: string;
  eventTypes: string[];
  targetUrl: string;
  secret: string;
  maxAttempts: number;
  enabled: boolean;
  createdAt: Date;
}
interface DeliveryShape {
  id: string;
  endpointId: string;
  eventType: string;
  status: 'PENDING' | 'DELIVERING' | 'DELIVERED' | 'FAILED';
  attemptCount: number;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date;
  lastError: string | null;
  responseStatus: number | null;
  payload: unknown;
  createdAt: Date;
}

const EndpointRef = builder.objectRef<EndpointShape>('WebhookEndpoint').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    eventTypes: t.exposeStringList('eventTypes'),
    targetUrl: t.exposeString('targetUrl'),
    secret: t.exposeString('secret'),
    maxAttempts: t.exposeInt('maxAttempts'),
    enabled: t.exposeBoolean('enabled'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const DeliveryRef = builder.objectRef<DeliveryShape>('Webhook').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    endpointId: t.exposeString('endpointId'),
    eventType: t.exposeString('eventType'),
    status: t.field({ type: StatusEnum, resolve: (d) => d.status }),
    attemptCount: t.exposeInt('attemptCount'),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime' }),
    lastError: t.exposeString('lastError', { nullable: true }),
    responseStatus: t.exposeInt('responseStatus', { nullable: true }),
    payload: t.field({ type: 'JSON', resolve: (d) => d.payload }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const EndpointInput = builder.inputType('WebhookEndpointInput', {
  fields: (t) => ({
    projectSlug: t.string({ required: true }),
    eventTypes: t.stringList({ required: true }),
    targetUrl: t.string({ required: true }),
    secret: t.string(),
    maxAttempts: t.int(),
  }),
});
const UpdateEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({ id: t.id({ required: true }), eventTypes: t.stringList(), targetUrl: t.string(), secret: t.string(), maxAttempts: t.int(), enabled: t.boolean() }),
});
const DeleteEndpointInput = builder.inputType('DeleteWebhookEndpointInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

builder.queryFields((t) => ({
  webhookEndpoints: t.field({
    type: [EndpointRef],
    args: { projectSlug: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      requirePermission(ctx, 'MANAGE', `${args.projectSlug}:*`);
      const rows = await ctx.meta.webhookEndpoint.findMany({ where: { project: { slug: args.projectSlug } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map((e) => endpointView(ctx, e));
    },
  }),
  webhooks: t.field({
    type: [DeliveryRef],
    args: { projectSlug: t.arg.string({ required: true }), status: t.arg({ type: StatusEnum }), limit: t.arg.int({ defaultValue: 100 }) },
    resolve: async (_r, args, ctx) => {
      requirePermission(ctx, 'MANAGE', `${args.projectSlug}:*`);
      const limit = args.limit ?? 100;
      if (limit < 1 || limit > 1000) throw badInput('limit must be from 1 to 1000', { field: 'limit' });
      return ctx.meta.webhook.findMany({
        where: { project: { slug: args.projectSlug }, ...(args.status ? { status: args.status } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: limit,
      });
    },
  }),
}));

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({ type: EndpointRef, args: { input: t.arg({ type: EndpointInput, required: true }) }, resolve: (_r, { input }, ctx) => createWebhookEndpoint(ctx, input) }),
  updateWebhookEndpoint: t.field({ type: EndpointRef, args: { input: t.arg({ type: UpdateEndpointInput, required: true }) }, resolve: (_r, { input }, ctx) => updateWebhookEndpoint(ctx, { ...input, id: String(input.id) }) }),
  deleteWebhookEndpoint: t.field({ type: EndpointRef, args: { input: t.arg({ type: DeleteEndpointInput, required: true }) }, resolve: (_r, { input }, ctx) => deleteWebhookEndpoint(ctx, { id: String(input.id) }) }),
}));
