// Mocked IPC commands of the keys area for the browser tests (owned by that area's engineer).
// Each handler gets the command's arguments and returns what the Rust command would, or
// throws a {code, message, hint} object. tests/ipc-mock.ts dispatches to these.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const handlers: Record<string, (args: any) => unknown> = {};
