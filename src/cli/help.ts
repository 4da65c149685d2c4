import { protocolNames } from './protocols.js';

/** The text of `dashwire --help` and of each `dashwire <command> --help`; `{presets}` lists the presets. */
const help: Record<string, string> = {
  main: `dashwire — typed real-time feed client

Usage:
  dashwire serve [--preset NAME] [--port N] [--host H] [--rate N]
  dashwire serve --replay FILE [--speed N] [--loop] [--port N]
  dashwire tail <url> [--preset NAME] [--channel C]… [--param KEY=VALUE]… [--json]
  dashwire tail <url> --record FILE [--preset NAME | --raw [--send JSON]…]
  dashwire infer FILE [--name NAME] [--format ts|js] [--out FILE]
  dashwire infer --check FILE PRESET_MODULE
  dashwire demo [--preset NAME] [--rate N] [--duration S]
  dashwire check <ws-url> [--token T] [--http URL | --no-http] [--channel C] [--timeout MS]

Run "dashwire <command> --help" for a command's options; "dashwire --version" for the version.
Presets: ${'{presets}'}
Exit codes: 0 clean, 1 usage error, 2 connection given up, 3 infer --check found untyped frames.`,
  serve: `dashwire serve — reference mock server with a synthetic feed of every message type

Options:
  --preset NAME   protocol to speak (default native; one of {presets})
  --port N        TCP port, 0–65535 (default 8080; 0 picks a free one)
  --host H        interface to listen on (default 127.0.0.1)
  --rate N        synthetic events per second (default 5; 0 disables the feed)
  --replay FILE   play back a recording (dashwire tail --record) instead of a preset
  --speed N       with --replay: playback speed (default 1; 2 is twice as fast)
  --loop          with --replay: start again after the last frame
Ctrl-C closes the server.`,
  tail: `dashwire tail — connect, subscribe and print each validated event

Usage: dashwire tail <url> [options]
Options:
  --preset NAME      the server's protocol (default native; one of {presets})
  --channel C        channel to subscribe to; repeatable (default: all the protocol's channels)
  --param KEY=VALUE  subscription parameter for every channel; repeatable;
                     commas make a list (symbols=AAPL,MSFT)
  --json             one JSON object a line: {"kind":"event"|"state"|"invalid"|"unknown",…}
  --retries N        give up after N failed reconnects (exit code 2; default: never)
  --count N          exit after N events (a positive whole number)
  --duration S       exit after S seconds
  --record FILE      also write every frame both ways, connects and closes to FILE (NDJSON,
                     see docs/infer.md)
  --raw              with --record: no preset; connect, send the --send frames, record
  --send JSON        with --raw: a frame to send after connecting; repeatable
Ctrl-C closes the connection cleanly.`,
  demo: `dashwire demo — mock server and a tailing client in one process

Options:
  --preset NAME   protocol (default native; one of {presets})
  --rate N        synthetic events per second (default 5)
  --json          print JSON lines, as tail --json does
  --duration S    stop after S seconds (default: until Ctrl-C)`,
  check: `dashwire check — conformance runner for native-protocol servers (docs/protocol.md §12)

Usage: dashwire check <ws-url> [options]
Prints one PASS/FAIL line per rule of the spec; exits 0 only when every rule passes (1 otherwise).
The server must be publishing on the channel under test while the check runs.
Options:
  --token T       authenticate with T; also checks the auth rules (§9, §8)
  --http URL      REST polling base URL (default: the WebSocket URL's origin over http)
  --no-http       skip the REST polling rules
  --channel C     a channel the server publishes on (default prices)
  --timeout MS    longest wait for one answer or event (default 5000)`,
};

/** The help of a command (`main`: of dashwire itself), with the preset names filled in. */
export function helpText(name: string): string {
  return (help[name] ?? help.main!).replaceAll('{presets}', protocolNames().join(', '));
}
