import type { PermissionGrant } from '../lib/permissions.js';

/** Who is making a request, resolved once per request from its token. */
export interface Principal {
  userId: string;
  email: string;
  role: string;
  permissions: readonly PermissionGrant[];
  /** project users: CCPA opt-out of data sale/sharing */
  dataSaleOptOut?: boolean;
}
