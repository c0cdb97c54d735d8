/**
 * Abuse limits on every endpoint, from GraphQL Armor's maintained rules: depth, aliases,
 * directives, cost, and tokens (graphql-js's own parser limit). Yoga applies them as plugins;
 * the fast path validates with the same rules and parses with the same token limit, so both
 * paths refuse exactly the same documents.
 */
import { costLimitPlugin, costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin, maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin, maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin, maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { ValidationRule } from 'graphql';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
  maxTokens: number;
}

export const DEFAULT_LIMITS: OperationLimits = { maxDepth: 12, maxAliases: 30, maxDirectives: 50, maxCost: 5000, maxTokens: 3000 };

const options = (l: OperationLimits) => ({
  depth: { n: l.maxDepth, ignoreIntrospection: true, flattenFragments: true },
  aliases: { n: l.maxAliases },
  directives: { n: l.maxDirectives },
  cost: { maxCost: l.maxCost, ignoreIntrospection: true },
  tokens: { n: l.maxTokens },
});

export function limitRules(l: OperationLimits = DEFAULT_LIMITS): ValidationRule[] {
  const o = options(l);
  return [maxDepthRule(o.depth), maxAliasesRule(o.aliases), maxDirectivesRule(o.directives), costLimitRule(o.cost)] as unknown as ValidationRule[];
}

export function limitPlugins(l: OperationLimits = DEFAULT_LIMITS) {
  const o = options(l);
  return [maxTokensPlugin(o.tokens), maxDepthPlugin(o.depth), maxAliasesPlugin(o.aliases), maxDirectivesPlugin(o.directives), costLimitPlugin(o.cost)];
}

/** A project's limits: its own settings over the defaults (the token limit stays global: it guards the parser). */
export function projectLimits(settings: Partial<Omit<OperationLimits, 'maxTokens'>> | null | undefined): OperationLimits {
  return { ...DEFAULT_LIMITS, ...(settings ?? {}), maxTokens: DEFAULT_LIMITS.maxTokens };
}

/**
 * Yoga plugins for project endpoints: the parser's token limit, and the validation rules of the
 * request's project (read from the context the pre-handler resolved). Yoga caches validation per
 * schema instance, and a change of limits is a new metadata version, hence a new schema.
 */
export function projectLimitPlugins(limitsOf: (context: unknown) => OperationLimits) {
  return [
    maxTokensPlugin(options(DEFAULT_LIMITS).tokens),
    {
      onValidate({ context, addValidationRule }: { context: unknown; addValidationRule: (rule: ValidationRule) => void }) {
        for (const rule of limitRules(limitsOf(context))) addValidationRule(rule);
      },
    },
  ];
}
