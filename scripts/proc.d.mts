/** The repository root. */
export declare const root: string;
/** Runs cmd with stdio inherited; resolves to its exit code (127 if it could not start). */
export declare function run(cmd: string, args: string[], env?: Record<string, string>): Promise<number>;
/** A TCP port on 127.0.0.1 that was free a moment ago. */
export declare function freePort(): Promise<number>;
