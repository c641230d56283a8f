#!/usr/bin/env python3
"""The load suite: sustained load on the read API and on match runs, with wrk.

    python3 reliability/load.py [--binary .build/release/chanxiao] [--duration 60]
                                [--connections 32] [--match-connections 2] [--json FILE]

Starts the daemon (a release build, as it runs in production) on a temporary database with
the bundled demo catalog and its default configuration, then runs two phases with wrk:

1. the read API: a rotation of list and detail reads across counties, suppliers, products,
   buyers, demands, matches, venues and rotations, as an admin token;
2. match runs: POST /v1/match-runs for the coming week, back to back.

For each phase it reports requests/s, p50/p99/max latency, errors (socket errors, timeouts
and non-2xx answers) and the daemon's resident memory, sampled every second (start, end,
peak), so that a leak shows as growth. Exits non-zero when a phase has errors, or with
--check, when the read phase misses its targets (>= 5,000 req/s, p99 < 20 ms).

Needs wrk (Debian: apt-get install wrk). Talks only to 127.0.0.1.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    """The daemon under test, on a temporary database with the demo catalog."""

    def __init__(self, binary, directory):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CHANXIAO_")}
        self.log = open(os.path.join(directory, "daemon.log"), "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--demo", "--database", os.path.join(directory, "chanxiao.sqlite"), "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=environment, cwd=directory)
        self.token = None
        deadline = time.time() + 120
        for line in self.process.stdout:
            match = re.search(r"demo admin token: (cx_\S+)", line)
            if match:
                self.token = match.group(1)
                break
            if time.time() > deadline:
                break
        if self.token is None:
            self.stop()
            sys.exit(f"the daemon printed no demo token; see {self.log.name}")
        # Keep reading stdout so the daemon never blocks on a full pipe.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        while True:
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline or self.process.poll() is not None:
                self.stop()
                sys.exit(f"the daemon did not become ready; see {self.log.name}")
            time.sleep(0.2)

    def get(self, path):
        request = urllib.request.Request(self.base + path, headers={"Authorization": "Bearer " + self.token})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def rss_kib(self):
        """Resident and peak resident memory of the daemon, in KiB."""
        values = {}
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0])
        return values.get("VmRSS", 0), values.get("VmHWM", 0)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def read_paths(daemon):
    """Reads a buyer's app and an organizer's screen make: lists with filters and details."""
    ids = {}
    for collection in ("counties", "suppliers", "products", "buyers", "demands", "venues", "rotations"):
        items = daemon.get(f"/v1/{collection}?limit=20")["items"]
        ids[collection] = [item.get("id") or item.get("code") for item in items]
    paths = ["/v1/counties?limit=20", "/v1/suppliers?limit=20", "/v1/products?limit=20", "/v1/products?category=fruit&limit=10",
             "/v1/buyers?limit=20", "/v1/demands?limit=20", "/v1/matches?limit=20", "/v1/matches?status=proposed&limit=10",
             "/v1/venues", "/v1/rotations", "/v1/me", "/v1/categories"]
    for collection, values in ids.items():
        paths += [f"/v1/{collection}/{value}" for value in values[:5] if value]
    return paths


def lua_script(directory, token, paths=None, method="GET", body=None):
    """A wrk script: the bearer token, and a rotation of paths (or one request)."""
    lines = [f'wrk.method = "{method}"', f'wrk.headers["Authorization"] = "Bearer {token}"']
    if body is not None:
        lines += ['wrk.headers["Content-Type"] = "application/json"', f"wrk.body = {json.dumps(body)}"]
    if paths:
        lines += ["local paths = {" + ", ".join(json.dumps(p) for p in paths) + "}",
                  "local i = 0",
                  "request = function()",
                  "  i = i % #paths + 1",
                  "  return wrk.format(nil, paths[i])",
                  "end"]
    # wrk's summary counts non-2xx/3xx answers but not which; report the 4xx and 5xx apart.
    lines += ["local statuses = {}",
              "response = function(status, headers, body)",
              "  if status >= 400 then statuses[status] = (statuses[status] or 0) + 1 end",
              "end",
              "done = function(summary, latency, requests)",
              "  for status, count in pairs(statuses) do io.write(string.format('status %d: %d\\n', status, count)) end",
              "  io.write(string.format('latency_us p50=%d p99=%d max=%d mean=%.1f\\n', latency:percentile(50), latency:percentile(99), latency.max, latency.mean))",
              "end"]
    path = os.path.join(directory, f"load-{method.lower()}-{len(paths or [])}.lua")
    with open(path, "w") as script:
        script.write("\n".join(lines) + "\n")
    return path


def run_wrk(daemon, script, path, duration, connections, threads):
    samples = []
    stop = threading.Event()

    def sample():
        while not stop.wait(1):
            try:
                samples.append(daemon.rss_kib()[0])
            except OSError:
                break

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s", "-s", script, daemon.base + path]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    stop.set()
    sampler.join()
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"(p50|p99|max|mean)=([\d.]+)", output))
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    statuses = {int(s): int(n) for s, n in re.findall(r"status (\d+): (\d+)", output)}
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    return {
        "command": " ".join(command[:-1]) + " URL",
        "requests": requests,
        "requests_per_second": round(rate, 1),
        "latency_ms": {k: round(float(v) / 1000, 2) for k, v in latency.items()},
        "errors": socket_errors + non_2xx,
        "error_statuses": statuses,
        "rss_mib": {"start": round(samples[0] / 1024, 1) if samples else None,
                    "end": round(samples[-1] / 1024, 1) if samples else None,
                    "peak": round(daemon.rss_kib()[1] / 1024, 1)},
        "rss_samples_mib": [round(s / 1024, 1) for s in samples],
        "wrk": output,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/chanxiao"))
    parser.add_argument("--duration", type=int, default=60, help="seconds per phase")
    parser.add_argument("--connections", type=int, default=32, help="connections of the read phase")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (the daemon needs the other core)")
    parser.add_argument("--match-connections", type=int, default=2, help="connections of the match-run phase")
    parser.add_argument("--skip-match", action="store_true")
    parser.add_argument("--check", action="store_true", help="fail when the read phase misses its targets")
    parser.add_argument("--json", help="write the figures to this file")
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    if not os.access(arguments.binary, os.X_OK):
        sys.exit(f"no chanxiao binary at {arguments.binary}: swift build -c release --product chanxiao")

    directory = tempfile.mkdtemp(prefix="chanxiao-load-")
    daemon = Daemon(os.path.abspath(arguments.binary), directory)
    report = {"binary": arguments.binary, "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}
    try:
        paths = read_paths(daemon)
        report["read_paths"] = len(paths)
        # A short warm-up, so the figures are of a running daemon, not of its first requests.
        run_wrk(daemon, lua_script(directory, daemon.token, paths), "/", 3, arguments.connections, arguments.threads)
        report["read"] = run_wrk(daemon, lua_script(directory, daemon.token, paths), "/", arguments.duration,
                                 arguments.connections, arguments.threads)
        if not arguments.skip_match:
            report["match_runs"] = run_wrk(daemon, lua_script(directory, daemon.token, method="POST", body="{}"), "/v1/match-runs",
                                           arguments.duration, arguments.match_connections, 1)
    finally:
        daemon.stop()

    failures = []
    for phase in ("read", "match_runs"):
        if phase not in report:
            continue
        figures = report[phase]
        print(f"{phase}: {figures['requests']} requests, {figures['requests_per_second']} req/s, "
              f"p50 {figures['latency_ms'].get('p50')} ms, p99 {figures['latency_ms'].get('p99')} ms, max {figures['latency_ms'].get('max')} ms, "
              f"errors {figures['errors']} {figures['error_statuses'] or ''}, "
              f"RSS {figures['rss_mib']['start']} → {figures['rss_mib']['end']} MiB (peak {figures['rss_mib']['peak']})")
        if figures["errors"]:
            failures.append(f"{phase}: {figures['errors']} errors")
    read = report["read"]
    if arguments.check and (read["requests_per_second"] < 5000 or read["latency_ms"]["p99"] >= 20):
        failures.append(f"read: {read['requests_per_second']} req/s, p99 {read['latency_ms']['p99']} ms (targets: >= 5000 req/s, p99 < 20 ms)")
    if arguments.json:
        with open(arguments.json, "w") as out:
            json.dump(report, out, indent=2)
    shutil.rmtree(directory, ignore_errors=True)
    if failures:
        sys.exit("; ".join(failures))


if __name__ == "__main__":
    main()
