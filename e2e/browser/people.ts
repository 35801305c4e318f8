// Who the browser tests sign in as: the admin made at first start, and a viewer and an analyst
// global-setup.ts creates.
export const PEOPLE = {
  admin: { email: 'admin@localhost', password: 'e2e-admin-password' },
  analyst: { email: 'analyst@example.test', password: 'e2e-analyst-password' },
  viewer: { email: 'viewer@example.test', password: 'e2e-viewer-password' },
} as const;

export type Person = keyof typeof PEOPLE;
