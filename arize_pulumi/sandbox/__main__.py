"""``python -m arize_pulumi.sandbox``: run the sandbox server until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from types import FrameType
from typing import Any

API_KEY_ENV = "ARIZE_SANDBOX_API_KEY"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m arize_pulumi.sandbox",
        description="An Arize-compatible local API server for tasks and task runs.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one")
    parser.add_argument("--db", default=":memory:", help="SQLite file to keep state in")
    parser.add_argument("--seed", help="JSON or YAML seed file (default: the demo world)")
    parser.add_argument(
        "--api-key",
        default=os.environ.get(API_KEY_ENV),
        help=f"the one accepted bearer key (default ${API_KEY_ENV}, else any non-empty key)",
    )
    parser.add_argument(
        "--run-duration",
        type=float,
        default=3.0,
        help="seconds from trigger to a run's end (default 3)",
    )
    parser.add_argument(
        "--freeze-at",
        type=_instant,
        metavar="now|TIMESTAMP",
        help="start with the clock frozen (now, or at an RFC 3339 timestamp); "
        "move it with POST /_sandbox/clock",
    )
    parser.add_argument(
        "--rich-answers",
        action="store_true",
        help="answer as richly as the real API: unknown keys in every object, null for every "
        "optional field that is absent or empty; switch with POST /_sandbox/rich-answers",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="info logs one line per request on stderr",
    )
    args = parser.parse_args(argv)
    if args.run_duration <= 0:
        parser.error("--run-duration must be positive")
    return args


def _instant(value: str) -> datetime:
    """``now`` or an RFC 3339 timestamp (a missing offset means UTC)."""
    if value == "now":
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"neither 'now' nor a timestamp: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


class _Stopper:
    """SIGTERM/SIGINT handler installed before anything slow, so a stop is never a crash."""

    def __init__(self) -> None:
        self.requested = False
        self.server: Any = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True
        if self.server is not None:
            self.server.should_exit = True


def main(argv: Sequence[str] | None = None) -> int:
    stopper = _Stopper()
    signal.signal(signal.SIGTERM, stopper)
    signal.signal(signal.SIGINT, stopper)
    args = parse_args(argv)

    import uvicorn

    from .app import create_app
    from .deps import Settings
    from .seed import load_seed_file
    from .store import Store

    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    logging.getLogger("arize_pulumi.sandbox").setLevel(args.log_level.upper())
    try:
        seed = load_seed_file(args.seed) if args.seed else None
    except (OSError, ValueError) as error:
        print(f"arize sandbox: cannot read seed file {args.seed}: {error}", file=sys.stderr)
        return 2
    settings = Settings(
        api_key=args.api_key or None,
        run_duration=args.run_duration,
        db=args.db,
        frozen_at=args.freeze_at,
        rich_answers=args.rich_answers,
    )
    try:
        store = Store(settings.db)
    except sqlite3.Error as error:
        print(f"arize sandbox: cannot open database {settings.db}: {error}", file=sys.stderr)
        return 2
    try:
        app = create_app(settings, seed=seed, store=store)
        try:
            sock = _bind(args.host, args.port)
        except OSError as error:
            print(
                f"arize sandbox: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr
            )
            return 2
        shown_host = f"[{args.host}]" if ":" in args.host else args.host
        print(f"arize sandbox listening on http://{shown_host}:{sock.getsockname()[1]}", flush=True)
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=5,
            server_header=False,
        )
        stopper.server = uvicorn.Server(config)
        if not stopper.requested:
            stopper.server.run(sockets=[sock])
        sock.close()
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
