// The server's Content-Security-Policy allows no eval. zod (in the rule editor's chunks) would probe
// `new Function('')` when its first object schema is built, and the browser reports that probe as a
// CSP violation even though zod catches it. jitless skips the probe; parsing is the same, interpreted.
// zod reads its settings from this global, shared by every copy of it, when it loads: set it first.
const shared = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
shared.__zod_globalConfig = { ...shared.__zod_globalConfig, jitless: true };

export {};
