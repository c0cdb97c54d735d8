/**
 * Project identities on the project endpoint:
 *
 *   type KoyaUser { id: UUID!  email: String!  role: String! }
 *   type KoyaSession { token: String!  user: KoyaUser! }
 *   extend type Mutation { signIn(email: String!, password: String!): KoyaSession!
 *                          signUp(email: String!, password: String!): KoyaSession!   # when the project allows sign-up }
 * Tokens carry sub, role and the project slug as audience, and are valid on that project only.
 */
import type { ProjectModel } from '../model/project-model.js';
import type { ProjectBuilder } from './project-builder.js';
import type { ProjectContext } from './project-context.js';

export interface KoyaSession {
  token: string;
  user: { id: string; email: string; role: string };
}

/** Implemented by the server with the meta store (graphql/ does not import it). */
export interface ProjectIdentity {
  signIn(slug: string, email: string, password: string): Promise<KoyaSession>;
  signUp(slug: string, email: string, password: string): Promise<KoyaSession>;
  /** CCPA: records a project user's opt-out of data sale/sharing (their next request's claims carry it) */
  setDataSaleOptOut(slug: string, userId: string, optOut: boolean): Promise<boolean>;
}

export function addIdentityFields(builder: ProjectBuilder, model: ProjectModel): void {
  const user = builder.objectRef('KoyaUser').implement({
    fields: (f: any) => ({ id: f.field({ type: 'UUID', resolve: (u: KoyaSession['user']) => u.id }), email: f.exposeString('email'), role: f.exposeString('role') }),
  });
  const session = builder.objectRef('KoyaSession').implement({
    fields: (f: any) => ({ token: f.exposeString('token'), user: f.field({ type: user, resolve: (s: KoyaSession) => s.user }) }),
  });
  const args = (f: any) => ({ email: f.arg.string({ required: true }), password: f.arg.string({ required: true }) });
  builder.mutationFields((f: any) => ({
    signIn: f.field({
      type: session,
      args: args(f),
      resolve: (_r: unknown, a: { email: string; password: string }, ctx: ProjectContext) => ctx.identity.signIn(model.slug, a.email, a.password),
    }),
    ...(model.allowSignUp
      ? {
          signUp: f.field({
            type: session,
            args: args(f),
            resolve: (_r: unknown, a: { email: string; password: string }, ctx: ProjectContext) => ctx.identity.signUp(model.slug, a.email, a.password),
          }),
        }
      : {}),
  }));
}
