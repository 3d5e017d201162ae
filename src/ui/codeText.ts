// The text each read-only code view (CodeView.tsx) shows, by its test id: Monaco renders only
// the visible lines, so the automation hook (testHook.ts) reads the whole text from here.

export const CODE_TEXTS = new Map<string, string>();
