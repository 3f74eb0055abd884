"""Starting `geo serve` in a subprocess on 127.0.0.1 and a free port, for the tests and the benchmark."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(records_dir, *, cache_dir=None, timeout=60):
    """Start `geo serve --records DIR` on a free loopback port; return (process, base URL)."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if cache_dir is not None:
        env["GEO_CACHE_DIR"] = str(cache_dir)
    command = [
        sys.executable,
        "-c",
        "from geo.cli import main; main()",
        "serve",
        "--port",
        str(port),
        "--records",
        str(records_dir),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"geo serve exited {process.returncode}: {process.stdout.read()}")
        try:
            if httpx.get(f"{base}/conformance", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError(f"geo serve did not answer on {base} within {timeout} s")


def stop_server(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
