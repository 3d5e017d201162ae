/** Flags for a headless, quiet, self-contained Chromium. */
export declare const CHROMIUM_ARGS: string[];
/** The path of a Chromium executable (installs Debian's package when root; exits otherwise). */
export declare function findChromium(options?: { onMissing?: 'exit' | 'throw' }): string;
export declare const MISSING_MESSAGE: string;
