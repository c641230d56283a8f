#!/usr/bin/env python3
"""The crash-safety suite: kill -9 the chanxiao daemon under load, over and over, and check
that nothing acknowledged is lost.

    python3 reliability/crash.py                      # 100 kills, .build/debug/chanxiao
    python3 reliability/crash.py --kills 10 --seed 7 --binary /path/to/chanxiao --json report.json

One run:

1. writes a configuration (fast webhook polling, short retries, 127.0.0.1 allowlisted, reminders
   1 and 2 minutes ahead, the weekly match run and weekly report job due a minute or two in),
   creates an admin token with `chanxiao token create`, starts `chanxiao serve` on a fresh state
   directory, registers three webhook endpoints on a receiver inside this script (`*`; an owner
   endpoint of one buyer taking `match.*`; a few exact types) and builds a small catalog through
   the API (tight capacities, so that acceptances compete);
2. runs a workload over HTTP from several threads: match runs, accepting and declining
   proposals, creating and patching products, demands, suppliers and sales, blacklisting and
   clearing suppliers, CSV imports of suppliers and sales, booking livestreams (whose reminders
   fall due during the run), running the weekly report job, and resending messages (often one
   whose attempt is in flight). Every write is journaled before it is sent and marked
   acknowledged (2xx), refused (4xx) or unknown (no answer, 5xx);
3. meanwhile the receiver answers 500 to about a fifth of the deliveries and slowly (some past
   the webhook timeout, some within it) to some more, and verifies every signature;
4. after a random delay kills the daemon with SIGKILL, restarts it on the same database and
   checks, while it runs: PRAGMA integrity_check and foreign_key_check; every acknowledged
   write is there (created rows with their fields, the last acknowledged value of every
   patched field, accepted and declined matches, match runs with all their proposals, weekly
   job runs, imports whole); nothing refused or never sent took effect, and nothing is half
   done; no product or demand is over-allocated in any week; the outbox agrees with the state
   (one match.proposed per proposal, one match.accepted per accepted match, one
   supplier.blacklisted per blacklisting, one livestream.scheduled per session and each
   reminder once, one report.weekly per weekly job, each message routed to exactly the
   endpoints that take it); no delivery once committed has disappeared;
5. at the end lets the receiver answer 204, waits until no delivery is pending, stops the
   daemon (SIGTERM) and checks that every committed (message, endpoint) delivery reached the
   receiver with a 2xx at least once, that every due reminder was written, and that every
   acknowledged resend was followed by a delivery. Duplicates are counted, not failed:
   delivery is at least once.

Exit status 0 when nothing was lost and no invariant broke, 1 otherwise, 2 when the run could
not be carried out (the daemon would not start, bad arguments). Standard library only.
"""

import argparse
import atexit
import base64
import datetime as dt
import hashlib
import hmac
import http.client
import http.server
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHANGHAI = dt.timezone(dt.timedelta(hours=8))  # the daemon's default time_zone, which has no DST

# The daemons this process started, killed whatever way the script ends.
LIVE = set()
LIVE_LOCK = threading.Lock()


def kill_all_daemons():
    with LIVE_LOCK:
        procs = list(LIVE)
    for proc in procs:
        if proc.poll() is None:
            try:
                proc.kill()
                proc.wait(timeout=10)
            except Exception:
                pass
    with LIVE_LOCK:
        LIVE.clear()


atexit.register(kill_all_daemons)

# A second line of defence for when this script itself is SIGKILLed (atexit and finally do not
# run then): a small process that holds the write end's reader of a pipe from us, and on EOF
# kills the daemons still registered with it.
REAPER_CODE = r"""
import os, signal, sys
pids = set()
for line in sys.stdin:
    line = line.strip()
    if line.startswith("-"):
        pids.discard(line[1:])
    elif line:
        pids.add(line)
for pid in pids:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"serve" not in f.read():
                continue  # the pid was reused
    except FileNotFoundError:
        if os.path.isdir("/proc"):
            continue
    except OSError:
        continue
    try:
        os.kill(int(pid), signal.SIGKILL)
    except (OSError, ValueError):
        pass
"""


class Reaper:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", REAPER_CODE], stdin=subprocess.PIPE, text=True, start_new_session=True)

    def tell(self, line):
        try:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        except OSError:
            pass

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            pass


REAPER = None


def on_signal(signum, _frame):
    # SIGTERM and SIGINT end the run through the finally blocks, which stop the daemon.
    raise KeyboardInterrupt(f"signal {signum}")


class SetupError(Exception):
    """The run could not be carried out (not a finding about the daemon)."""


def log(message):
    print(f"[crash {time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------------------------------------
# Weeks and dates

def iso_week(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(text):
    year, week = text.split("-W")
    return dt.date.fromisocalendar(int(year), int(week), 1)


def add_weeks(text, n):
    return iso_week(week_monday(text) + dt.timedelta(weeks=n))


# ---------------------------------------------------------------------------------------------
# The webhook receiver

class Receiver:
    """A threaded HTTP server standing in for the subscribers. It logs every request's
    `webhook-id` and path, verifies the Standard Webhooks signature, and in chaos mode fails
    some requests (500) and answers some too slowly for the daemon's timeout."""

    def __init__(self, seed, fail_rate, slow_rate, slow_seconds):
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.fail_rate = fail_rate
        self.slow_rate = slow_rate
        self.slow_seconds = slow_seconds
        self.chaos = True
        self.secrets = {}  # path -> HMAC key bytes
        self.accepted = {}  # (path, msg id) -> times answered 2xx
        self.accepted_at = {}  # (path, msg id) -> when (time.monotonic()) each 2xx was decided
        self.requests = 0
        self.failed_on_purpose = 0
        self.slow = 0
        self.truncated = 0
        self.holding = {}  # (path, msg id) -> requests being answered slowly right now
        self.bad_signatures = []
        self.unknown_paths = []
        self.bodies = {}  # msg id -> body text, to compare with the stored payload
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                try:
                    body = self.rfile.read(length)
                except OSError:
                    body = b""
                if len(body) < length:
                    # The sender died mid-request (a kill): nothing was delivered, and nobody reads an answer.
                    with receiver.lock:
                        receiver.truncated += 1
                    self.close_connection = True
                    return
                receiver.handle(self, body)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                # Connections reset by a killed daemon are expected; anything else is shown.
                if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="receiver", daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def handle(self, handler, body):
        arrived = time.monotonic()  # what counts for "received after a resend", not when we answer
        path = handler.path
        msg_id = handler.headers.get("webhook-id", "")
        stamp = handler.headers.get("webhook-timestamp", "")
        signatures = handler.headers.get("webhook-signature", "")
        with self.lock:
            self.requests += 1
            key = self.secrets.get(path)
            roll = self.rng.random()
            slow_for = self.rng.uniform(*self.slow_seconds)
        if key is None:
            with self.lock:
                self.unknown_paths.append(path)
            return self.answer(handler, 404)
        expected = base64.b64encode(hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()).decode()
        if f"v1,{expected}" not in signatures.split(" "):
            with self.lock:
                self.bad_signatures.append((path, msg_id))
            return self.answer(handler, 401)
        status = 204
        if self.chaos:
            if roll < self.fail_rate:
                status = 500
                with self.lock:
                    self.failed_on_purpose += 1
            elif roll < self.fail_rate + self.slow_rate:
                with self.lock:
                    self.slow += 1
                    self.holding[(path, msg_id)] = self.holding.get((path, msg_id), 0) + 1
                # Past webhooks.timeout_seconds the daemon gives up and retries; below it, the
                # attempt is in flight for a while and then succeeds.
                time.sleep(slow_for)
                with self.lock:
                    self.holding[(path, msg_id)] -= 1
                    if not self.holding[(path, msg_id)]:
                        del self.holding[(path, msg_id)]
        if status == 204:
            # Counted when the receiver decides to accept: whether the daemon then reads the
            # answer in time is its business (a late answer makes a duplicate, not a loss).
            with self.lock:
                self.accepted[(path, msg_id)] = self.accepted.get((path, msg_id), 0) + 1
                self.accepted_at.setdefault((path, msg_id), []).append(arrived)
                self.bodies.setdefault(msg_id, body.decode("utf-8", "replace"))
        self.answer(handler, status)

    @staticmethod
    def answer(handler, status):
        try:
            handler.send_response(status)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        except OSError:
            pass  # the daemon timed out and hung up


# ---------------------------------------------------------------------------------------------
# The daemon

class Daemon:
    def __init__(self, binary, config_path, state_dir):
        self.binary = binary
        self.config_path = config_path
        self.state_dir = state_dir
        self.log_path = os.path.join(state_dir, "daemon.log")
        self.proc = None
        self.url = None
        self.starts = 0

    def env(self):
        # The suite's configuration file alone decides: no CHANXIAO_* from the caller.
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHANXIAO_") and k != "STATE_DIRECTORY"}
        env.pop("NOTIFY_SOCKET", None)
        env.pop("WATCHDOG_USEC", None)
        return env

    def cli(self, *args):
        try:
            result = subprocess.run([self.binary, *args, "--config", self.config_path], cwd=self.state_dir, env=self.env(),
                                    capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.SubprocessError) as error:
            raise SetupError(f"chanxiao {' '.join(args)}: {error}") from error
        if result.returncode != 0:
            raise SetupError(f"chanxiao {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
        return result.stdout

    def start(self, timeout=90, demo=False):
        self.starts += 1
        out_path = os.path.join(self.state_dir, "daemon.out")
        with open(self.log_path, "a") as err:
            err.write(f"\n=== start {self.starts} at {time.strftime('%H:%M:%S')} ===\n")
        out = open(out_path, "w")
        err = open(self.log_path, "a")
        try:
            proc = subprocess.Popen([self.binary, "serve", "--config", self.config_path] + (["--demo"] if demo else []),
                                    cwd=self.state_dir, env=self.env(),
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        except OSError as error:
            raise SetupError(f"starting {self.binary}: {error}") from error
        finally:
            out.close()
            err.close()
        with LIVE_LOCK:
            LIVE.add(proc)
        if REAPER is not None:
            REAPER.tell(str(proc.pid))
        self.proc = proc
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(out_path) as f:
                text = f.read()
            for line in text.splitlines():
                if " serving on " in line:
                    self.url = line.rsplit(" ", 1)[-1]
            if self.url and "database:" in text:
                return time.monotonic()
            if proc.poll() is not None:
                raise DaemonDied(f"the daemon exited with status {proc.returncode} before serving (start {self.starts}); "
                                 f"last log lines:\n{self.tail()}")
            time.sleep(0.02)
        raise DaemonDied(f"the daemon printed no banner within {timeout} s (start {self.starts}); last log lines:\n{self.tail()}")

    def kill9(self):
        proc = self.proc
        if proc is None:
            return
        was_running = proc.poll() is None
        if was_running:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        with LIVE_LOCK:
            LIVE.discard(proc)
        if REAPER is not None:
            REAPER.tell(f"-{proc.pid}")
        self.proc = None
        self.url = None
        return was_running

    def terminate(self, timeout=60):
        proc = self.proc
        if proc is None:
            return None
        proc.send_signal(signal.SIGTERM)
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            status = proc.wait()
        with LIVE_LOCK:
            LIVE.discard(proc)
        if REAPER is not None:
            REAPER.tell(f"-{proc.pid}")
        self.proc = None
        return status

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def tail(self, lines=30):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


class DaemonDied(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# HTTP client

class Api:
    """One keep-alive connection per thread; any failure to get an answer returns status None."""

    def __init__(self, url, token, timeout=10):
        host, port = url.replace("http://", "").rsplit(":", 1)
        self.host, self.port = host, int(port)
        self.token = token
        self.timeout = timeout
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def call(self, method, path, body=None, content_type="application/json"):
        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        elif method == "POST":
            # Every state-changing POST says it is JSON, body or not.
            headers["Content-Type"] = content_type
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
            if response.getheader("connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            return None, None
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return response.status, parsed

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body=None):
        return self.call("POST", path, body)

    def patch(self, path, body):
        return self.call("PATCH", path, body, "application/merge-patch+json")


def outcome(status):
    if status is None or status >= 500:
        return "unknown"
    return "acked" if 200 <= status < 300 else "refused"


# ---------------------------------------------------------------------------------------------
# The client-side journal

class Field:
    """A field written by one thread only: its last acknowledged value and the values of writes
    whose outcome is unknown since (any of which may have been applied)."""

    def __init__(self, value):
        self.known = value
        self.pending = []

    def settle(self, actual):
        ok = actual == self.known or actual in self.pending
        if ok:
            self.known = actual
            self.pending = []
        return ok


class Journal:
    def __init__(self):
        self.lock = threading.Lock()
        # kind -> id -> {"state": acked|unknown|absent, "static": {...}, "fields": {name: Field}}
        self.created = {"products": {}, "demands": {}, "suppliers": {}, "sales": {}, "livestreams": {}}
        self.accepts = {}  # match id -> {"acked": n, "refused": n, "unknown": n}
        self.declines = {}
        self.runs = {}  # run id -> {"week", "proposals"}
        self.runs_unknown = 0
        self.blacklistings = {}  # supplier id -> blacklistings (false -> true) known to have happened
        self.weekly = {}  # week -> acked|unknown|refused
        self.imports = []  # {"kind", "ids", "blacklisted": ids created blacklisted, "state"}
        self.resends = []  # acknowledged resends: {"msg", "sent_at" (monotonic, before sending), "endpoints"}
        self.counts = {}  # (op, outcome) -> n
        self.refusals = {}  # op -> a few answers

    def count(self, op, result, status=None, answer=None):
        with self.lock:
            self.counts[(op, result)] = self.counts.get((op, result), 0) + 1
            if result == "refused" and isinstance(answer, dict):
                # A few refusals of each kind, to tell expected conflicts from a broken workload.
                detail = answer.get("detail", "")
                if answer.get("errors"):
                    detail += ": " + "; ".join(f"{e.get('field')}: {e.get('message')}" for e in answer["errors"][:3])
                samples = self.refusals.setdefault(op, [])
                if len(samples) < 3:
                    samples.append(f"{status} {detail}")

    def totals(self):
        out = {"acked": 0, "refused": 0, "unknown": 0}
        for (_, result), n in self.counts.items():
            out[result] += n
        return out


# ---------------------------------------------------------------------------------------------
# Workload

CATEGORIES = [("grain_oil", "kg"), ("vegetables", "kg"), ("fruit", "kg")]
COUNTIES = [("451026", "那坡县", "deep", ["440300"]), ("341125", "定远县", "provincial", []),
            ("430626", "平江县", "national", ["440300"]), ("522633", "从江县", "deep", ["440100"])]
BUYERS = [("buy-crash-canteen", "canteen", "440304"), ("buy-crash-union", "union", "440300"),
          ("buy-crash-center", "center", "440100"), ("buy-crash-hall", "hall", "430102"),
          ("buy-crash-market", "supermarket", "110101")]
WATCHED_BUYER = "buy-crash-canteen"  # its owner endpoint takes match.*


class World:
    """What the workload knows: ids, the weeks it matches, the journal."""

    def __init__(self, args, token, journal):
        self.args = args
        self.token = token
        self.journal = journal
        today = dt.datetime.now(SHANGHAI).date()
        self.today = today
        current = iso_week(today)
        self.current_week = current
        self.weeks = []
        self.set_epoch(0)
        # Weekly jobs are run for past weeks, one new week each time: a week's job runs once.
        self.report_weeks = [add_weeks(current, -i) for i in range(2, 400)]
        self.suppliers = []  # ids
        self.toggle_suppliers = []  # the catalog thread blacklists and clears these
        self.next_id = {}
        self.lock = threading.Lock()

    def set_epoch(self, epoch):
        # Three weeks matched at a time, sliding on every few kills: once a week's demands are
        # all accepted its runs propose nothing, and the workload would dry up.
        first = epoch // 6
        self.weeks = [add_weeks(self.current_week, first + i) for i in range(3)]

    def new_id(self, prefix):
        with self.lock:
            n = self.next_id.get(prefix, 0) + 1
            self.next_id[prefix] = n
        return f"{prefix}-crash-{n:05d}"

    def known(self, kind):
        with self.journal.lock:
            return [i for i, e in self.journal.created[kind].items() if e["state"] == "acked"]


def must(status, body, what):
    if status is None or not 200 <= status < 300:
        raise SetupError(f"setup: {what} answered {status}: {body}")
    return body


def setup_parties(api, existing_ok=False):
    """Counties and buyers, before the endpoints (an owner endpoint names its buyer)."""
    for code, name, status, paired in COUNTIES:
        answer = api.post("/v1/counties", {"code": code, "name": name, "poverty_status": status, "paired_region_codes": paired})
        if not (existing_ok and answer[0] == 409):  # the demo has some of these counties
            must(*answer, f"county {code}")
    for buyer_id, kind, region in BUYERS:
        must(*api.post("/v1/buyers", {"id": buyer_id, "name": f"压测买家 {buyer_id}", "kind": kind, "region_code": region}), f"buyer {buyer_id}")


HOSTS = [f"hst-crash-{i:02d}" for i in range(1, 13)]
ALL_DAY = [f"{day} 00:00-24:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]


def setup_catalog(api, world, rng):
    """The starting catalog, built before the first kill; any refusal here is a setup error."""
    journal = world.journal
    for host_id in HOSTS:
        must(*api.post("/v1/hosts", {"id": host_id, "name": f"压测主播 {host_id}", "platforms": ["douyin"], "availability": ALL_DAY,
                                     "max_sessions_per_day": 24}), f"host {host_id}")
    for index, (code, _, _, _) in enumerate(COUNTIES):
        for letter in "ab":
            supplier_id = f"sup-crash-{code}-{letter}"
            must(*api.post("/v1/suppliers", {"id": supplier_id, "name": f"压测供应商 {code}{letter}", "county_code": code,
                                             "kind": "cooperative"}), f"supplier {supplier_id}")
            world.suppliers.append(supplier_id)
            journal.created["suppliers"][supplier_id] = {"state": "acked", "static": {"county_code": code},
                                                        "fields": {"blacklisted": Field(0)}}
            journal.blacklistings[supplier_id] = 0
    world.toggle_suppliers = [world.suppliers[1], world.suppliers[4]]
    for _ in range(24):
        create_product(api, world, rng, setup=True)
    list_setup_products(api, world, rng)
    for buyer_id, _, _ in BUYERS:
        for category, unit in CATEGORIES:
            create_demand(api, world, rng, setup=True, buyer_id=buyer_id, category=(category, unit))


def list_setup_products(api, world, rng):
    """Certifies the setup's products as an authority does: one official list, imported whole."""
    with world.journal.lock:
        products = sorted(world.journal.created["products"].items())
    lines = ["product_id,certificate_no,level,authority_name,valid_from,valid_until"]
    numbers = {}
    for product_id, _ in products:
        numbers[product_id] = f"FP{rng.randint(10**9, 10**10 - 1)}"
        lines.append(f"{product_id},{numbers[product_id]},national,国家乡村振兴局,2020-01-01,2030-12-31")
    status, answer = api.call("POST", "/v1/certifications/import", ("\n".join(lines) + "\n").encode(), "text/csv; charset=utf-8")
    if status != 200:
        raise SetupError(f"setup: certifications.import answered {status}: {answer}")
    with world.journal.lock:
        for product_id, entry in products:
            entry["static"]["certificate_no"] = numbers[product_id]


# What a journaled write became: acknowledged, unknown (killed in flight or 5xx) or absent (refused).
ENTRY_STATE = {"acked": "acked", "unknown": "unknown", "refused": "absent"}


def journaled_create(api, world, kind, item_id, path, body, entry, action, setup=False):
    """Journals a create before sending it, so that a kill in flight leaves it "unknown", sends
    it and records what became of it; returns the outcome."""
    with world.journal.lock:
        world.journal.created[kind][item_id] = entry
    status, answer = api.post(path, body)
    result = outcome(status)
    world.journal.count(action, result, status, answer)
    if setup and result != "acked":
        raise SetupError(f"setup: {action} answered {status}: {answer}")
    with world.journal.lock:
        entry["state"] = ENTRY_STATE[result]
    return result


def product_body(world, rng, product_id):
    category, unit = rng.choice(CATEGORIES)
    capacity = rng.randint(60, 300)
    return {"id": product_id, "supplier_id": rng.choice(world.suppliers), "name": f"压测产品 {product_id}", "category": category,
            "unit": unit, "unit_price_fen": rng.randint(300, 1500), "weekly_capacity": capacity, "min_order": rng.randint(1, 15)}


def create_product(api, world, rng, setup=False):
    product_id = world.new_id("prd")
    body = product_body(world, rng, product_id)
    # Products are certified by the official list setup imports, never by their own fields.
    entry = {"state": "unknown", "static": {**{k: body[k] for k in ("supplier_id", "category", "unit", "min_order")}, "certificate_no": None},
             "fields": {k: Field(body[k]) for k in ("name", "unit_price_fen", "weekly_capacity")}}
    return journaled_create(api, world, "products", product_id, "/v1/products", body, entry, "product.create", setup)


def create_demand(api, world, rng, setup=False, buyer_id=None, category=None):
    demand_id = world.new_id("dem")
    category, unit = category or rng.choice(CATEGORIES)
    body = {"id": demand_id, "buyer_id": buyer_id or rng.choice(BUYERS)[0], "category": category, "unit": unit,
            "weekly_volume": rng.randint(60, 400), "max_unit_price_fen": rng.randint(900, 2000),
            "starts_on": (world.today - dt.timedelta(days=14)).isoformat()}
    entry = {"state": "unknown", "static": {k: body[k] for k in ("buyer_id", "category", "unit", "starts_on")},
             "fields": {k: Field(body[k]) for k in ("weekly_volume", "max_unit_price_fen")}}
    return journaled_create(api, world, "demands", demand_id, "/v1/demands", body, entry, "demand.create", setup)


def patch_field(api, world, kind, resource_id, name, value, op):
    """A merge patch of one field of a resource this thread owns."""
    with world.journal.lock:
        field = world.journal.created[kind][resource_id]["fields"][name]
    status, answer = api.patch(f"/v1/{kind}/{resource_id}", {name: value})
    result = outcome(status)
    world.journal.count(op, result, status, answer)
    with world.journal.lock:
        if result == "acked":
            field.known = value
            field.pending = []
        elif result == "unknown":
            field.pending.append(value)
    return result


class Worker(threading.Thread):
    """One client thread of one epoch. It stops at `stop`, or after a write whose outcome is
    unknown (a later write to the same thing must not race a request still in flight)."""

    def __init__(self, name, world, url, stop, seed, body):
        super().__init__(name=name, daemon=True)
        self.world = world
        self.api = Api(url, world.token)
        self.stop = stop
        self.rng = random.Random(seed)
        self.body = body
        self.error = None

    def run(self):
        try:
            while not self.stop.is_set():
                if self.body(self) == "unknown":
                    break
        except Exception:
            self.error = traceback.format_exc()
        finally:
            self.api.close()

    def pause(self, low, high):
        self.stop.wait(self.rng.uniform(low, high))


def matcher_step(w):
    world = w.world
    week = w.rng.choice(world.weeks)
    status, body = w.api.post("/v1/match-runs", {"week": week})
    result = outcome(status)
    world.journal.count("match_run", result, status, body)
    if result == "acked":
        with world.journal.lock:
            world.journal.runs[body["id"]] = {"week": week, "proposals": body["proposals"]}
    elif result == "unknown":
        with world.journal.lock:
            world.journal.runs_unknown += 1
    w.pause(0.05, 0.4)
    return result


def buyer_step(w):
    world = w.world
    week = w.rng.choice(world.weeks)
    status, body = w.api.get(f"/v1/matches?week={week}&status=proposed&limit=200")
    if status != 200:
        w.pause(0.05, 0.2)
        return "unknown" if status is None else "refused"
    items = body.get("items") or []
    if not items:
        w.pause(0.05, 0.2)
        return "refused"
    match = w.rng.choice(items)
    accept = w.rng.random() < 0.75
    journal = world.journal
    book = journal.accepts if accept else journal.declines
    with journal.lock:
        record = book.setdefault(match["id"], {"acked": 0, "refused": 0, "unknown": 0, "sent": 0})
        record["sent"] += 1  # before sending: a kill may leave it applied without an answer
    status, answer = w.api.post(f"/v1/matches/{match['id']}/{'accept' if accept else 'decline'}")
    result = outcome(status)
    journal.count("match.accept" if accept else "match.decline", result, status, answer)
    with journal.lock:
        record[result] += 1
    w.pause(0.0, 0.08)
    return result


def catalog_step(w):
    world, rng = w.world, w.rng
    products, demands = world.known("products"), world.known("demands")
    roll = rng.random()
    if roll < 0.12 and len(world.journal.created["products"]) < world.args.max_products:
        result = create_product(w.api, world, rng)
    elif roll < 0.22 and len(world.journal.created["demands"]) < world.args.max_demands:
        result = create_demand(w.api, world, rng)
    elif roll < 0.42 and products:
        product_id = rng.choice(products)
        with world.journal.lock:
            fields = world.journal.created["products"][product_id]["fields"]
            capacity = fields["weekly_capacity"].known
        choice = rng.random()
        if choice < 0.4:
            result = patch_field(w.api, world, "products", product_id, "unit_price_fen", rng.randint(300, 1500), "product.patch")
        elif choice < 0.8:
            # Capacity only grows: a lowered capacity may legitimately fall below volume already accepted.
            result = patch_field(w.api, world, "products", product_id, "weekly_capacity", capacity + rng.randint(1, 40), "product.patch")
        else:
            result = patch_field(w.api, world, "products", product_id, "name", f"压测产品 {product_id} v{rng.randint(1, 10**6)}", "product.patch")
    elif roll < 0.57 and demands:
        demand_id = rng.choice(demands)
        with world.journal.lock:
            volume = world.journal.created["demands"][demand_id]["fields"]["weekly_volume"].known
        if rng.random() < 0.5:
            result = patch_field(w.api, world, "demands", demand_id, "weekly_volume", volume + rng.randint(1, 40), "demand.patch")
        else:
            result = patch_field(w.api, world, "demands", demand_id, "max_unit_price_fen", rng.randint(900, 2000), "demand.patch")
    elif roll < 0.70:
        result = toggle_blacklist(w)
    elif roll < 0.80 and products:
        result = create_sale(w, rng.choice(products))
    elif roll < 0.86:
        result = run_weekly(w)
    elif roll < 0.90:
        result = create_supplier(w)
    elif roll < 0.96 and products:
        result = book_livestream(w, rng.sample(products, min(2, len(products))))
    elif roll < 0.99 and products:
        result = import_csv(w, products)
    else:
        w.pause(0.02, 0.1)
        return "refused"
    w.pause(0.0, 0.05)
    return result


def toggle_blacklist(w):
    world = w.world
    supplier_id = w.rng.choice(world.toggle_suppliers)
    journal = world.journal
    with journal.lock:
        field = journal.created["suppliers"][supplier_id]["fields"]["blacklisted"]
        now = field.known
    target = 0 if now else 1
    body = {"blacklisted": True, "blacklist_reason": "以次充好（压测）"} if target else {"blacklisted": False}
    status, answer = w.api.patch(f"/v1/suppliers/{supplier_id}", body)
    result = outcome(status)
    journal.count("supplier.blacklist" if target else "supplier.unblacklist", result, status, answer)
    with journal.lock:
        if result == "acked":
            field.known = target
            field.pending = []
            if target:
                journal.blacklistings[supplier_id] += 1
        elif result == "unknown":
            field.pending.append(target)
    return result


def create_supplier(w):
    world, rng = w.world, w.rng
    supplier_id = world.new_id("sup")
    code = rng.choice(COUNTIES)[0]
    blacklisted = rng.random() < 0.5
    body = {"id": supplier_id, "name": f"压测供应商 {supplier_id}", "county_code": code, "kind": "family_farm"}
    if blacklisted:
        body.update({"blacklisted": True, "blacklist_reason": "虚假认证（压测）"})
    journal = world.journal
    entry = {"state": "unknown", "static": {"county_code": code}, "fields": {"blacklisted": Field(int(blacklisted))},
             "created_blacklisted": blacklisted}
    with journal.lock:
        journal.created["suppliers"][supplier_id] = entry
        journal.blacklistings[supplier_id] = 0
    status, answer = w.api.post("/v1/suppliers", body)
    result = outcome(status)
    journal.count("supplier.create", result, status, answer)
    with journal.lock:
        entry["state"] = ENTRY_STATE[result]
        if result == "acked" and blacklisted:
            journal.blacklistings[supplier_id] += 1
    return result


def create_sale(w, product_id):
    world, rng = w.world, w.rng
    sale_id = world.new_id("sal")
    volume = rng.randint(1, 50)
    body = {"id": sale_id, "buyer_id": rng.choice(BUYERS)[0], "product_id": product_id, "volume": volume,
            "amount_fen": volume * rng.randint(300, 1500), "sold_on": world.today.isoformat(), "channel": "canteen"}
    entry = {"state": "unknown", "static": {k: body[k] for k in ("buyer_id", "product_id", "volume", "amount_fen", "sold_on")}, "fields": {}}
    return journaled_create(w.api, world, "sales", sale_id, "/v1/sales", body, entry, "sale.create")


def utc_text(moment):
    """A timestamp as the daemon stores it: RFC 3339 in UTC with milliseconds."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def book_livestream(w, product_ids):
    """A session starting a minute or two from now, so that its reminders (webhooks.
    reminder_lead_minutes [1, 2]) fall due during the run, some while the daemon is down."""
    world, rng = w.world, w.rng
    session_id = world.new_id("liv")
    lead = rng.choice([61, 121])
    starts = (dt.datetime.now(SHANGHAI) + dt.timedelta(seconds=lead + rng.uniform(0, 90))).replace(microsecond=0)
    ends = starts + dt.timedelta(minutes=1)
    body = {"id": session_id, "host_id": rng.choice(HOSTS), "platform": "douyin", "starts_at": starts.isoformat(),
            "ends_at": ends.isoformat(), "product_ids": product_ids, "title": f"压测直播 {session_id}"}
    entry = {"state": "unknown", "static": {"host_id": body["host_id"], "starts_at": utc_text(starts), "ends_at": utc_text(ends)},
             "fields": {}}
    return journaled_create(w.api, world, "livestreams", session_id, "/v1/livestreams", body, entry, "livestream.book")


def resend_step(w):
    """Resends a message that still has a pending delivery: often one whose attempt is in flight
    right now, the interesting case (the resend must not be swallowed by that attempt's outcome)."""
    world = w.world
    with world.receiver.lock:
        held = sorted({msg for (_, msg) in world.receiver.holding})
    if held and w.rng.random() < 0.7:
        message_id = w.rng.choice(held)  # an attempt of it is in flight: the receiver is answering it slowly
    else:
        status, body = w.api.get("/v1/webhook-messages?status=pending&limit=100")
        if status is None:
            return "unknown"
        items = (body or {}).get("items") or [] if status == 200 else []
        if not items:
            w.pause(0.05, 0.2)
            return "refused"
        message_id = w.rng.choice(items)["id"]
    sent_at = time.monotonic()
    status, answer = w.api.post(f"/v1/webhook-messages/{message_id}/resend", {})
    result = outcome(status)
    world.journal.count("webhook_message.resend", result, status, answer)
    if result == "acked":
        endpoints = [d["endpoint_id"] for d in answer.get("deliveries", [])]
        with world.journal.lock:
            world.journal.resends.append({"msg": message_id, "sent_at": sent_at, "endpoints": endpoints})
    w.pause(0.1, 0.4)
    return result


def import_csv(w, products):
    """A CSV import (all rows or none, in one transaction): suppliers, some created blacklisted
    (each announced), or a few hundred sales."""
    world, rng = w.world, w.rng
    batch = world.new_id("imp").split("-")[-1]
    if rng.random() < 0.5:
        kind, n = "suppliers", rng.randint(30, 120)
        ids = [f"sup-imp-{batch}-{i:03d}" for i in range(n)]
        blacklisted = {i for i in ids if rng.random() < 0.3}
        lines = ["id,name,county_code,kind,blacklisted,blacklist_reason"]
        for supplier_id in ids:
            flag = supplier_id in blacklisted
            lines.append(f"{supplier_id},导入供应商 {supplier_id},{rng.choice(COUNTIES)[0]},enterprise,{'true' if flag else 'false'},"
                         f"{'导入即拉黑（压测）' if flag else ''}")
    else:
        kind, n = "sales", rng.randint(100, 400)
        ids = [f"sal-imp-{batch}-{i:03d}" for i in range(n)]
        blacklisted = set()
        lines = ["id,buyer_id,product_id,volume,amount_fen,sold_on,channel"]
        for sale_id in ids:
            volume = rng.randint(1, 30)
            lines.append(f"{sale_id},{rng.choice(BUYERS)[0]},{rng.choice(products)},{volume},{volume * rng.randint(300, 1500)},"
                         f"{world.today.isoformat()},union")
    entry = {"kind": kind, "ids": ids, "blacklisted": blacklisted, "state": "unknown"}
    with world.journal.lock:
        world.journal.imports.append(entry)
    status, answer = w.api.call("POST", f"/v1/import/{kind}?mode=insert", ("\n".join(lines) + "\n").encode(), "text/csv; charset=utf-8")
    result = outcome(status)
    world.journal.count(f"import.{kind}", result, status, answer)
    with world.journal.lock:
        entry["state"] = ENTRY_STATE[result]
    return result


def run_weekly(w):
    world = w.world
    journal = world.journal
    with journal.lock:
        week = next((x for x in world.report_weeks if x not in journal.weekly), None)
        if week is None:
            return "refused"
        journal.weekly[week] = "unknown"
    status, answer = w.api.post(f"/v1/reports/weekly/run?week={week}")
    result = outcome(status)
    journal.count("report.weekly.run", result, status, answer)
    with journal.lock:
        journal.weekly[week] = result
    return result


# ---------------------------------------------------------------------------------------------
# Checks against the database

class Checker:
    def __init__(self, db_path, world, endpoints, registered_at):
        self.db_path = db_path
        self.world = world
        self.journal = world.journal
        self.endpoints = endpoints  # name -> {"id", "path", "types"}
        self.registered_at = registered_at
        self.violations = []  # (epoch, kind, message)
        self.seen_violations = set()
        self.committed = {}  # (msg id, endpoint id) -> type
        self.messages = {}  # msg id -> type
        self.integrity_checks = 0
        self.integrity_failures = 0
        self.acked_checks = 0

    def violate(self, epoch, kind, message):
        key = (kind, message)
        if key in self.seen_violations:
            return
        self.seen_violations.add(key)
        self.violations.append({"epoch": epoch, "kind": kind, "detail": message})
        log(f"VIOLATION [{kind}] after restart {epoch}: {message}")

    def violate_many(self, epoch, kind, details, limit=20):
        """The first `limit` of many violations of one kind, and how many more there were."""
        for detail in details[:limit]:
            self.violate(epoch, kind, detail)
        if len(details) > limit:
            self.violate(epoch, kind, f"… and {len(details) - limit} more like these")

    def connect(self):
        db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        db.row_factory = sqlite3.Row
        return db

    def check(self, epoch):
        db = self.connect()
        try:
            db.execute("BEGIN")  # one snapshot for every query below
            self.check_integrity(db, epoch)
            self.check_journal(db, epoch)
            self.check_allocation(db, epoch)
            self.check_outbox(db, epoch)
            db.execute("COMMIT")
        finally:
            db.close()

    def check_integrity(self, db, epoch):
        self.integrity_checks += 1
        rows = [r[0] for r in db.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            self.integrity_failures += 1
            self.violate(epoch, "integrity", f"PRAGMA integrity_check: {rows[:10]}")
        fk = db.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            self.violate(epoch, "integrity", f"PRAGMA foreign_key_check: {[tuple(r) for r in fk[:10]]}")

    def check_journal(self, db, epoch):
        j = self.journal
        tables = {"products": "product", "demands": "demand", "suppliers": "supplier", "sales": "sale", "livestreams": "livestream"}
        for kind, table in tables.items():
            rows = {r["id"]: r for r in db.execute(f"SELECT * FROM {table} WHERE id LIKE '%-crash-%'")}
            for resource_id, entry in list(j.created[kind].items()):
                row = rows.pop(resource_id, None)
                state = entry["state"]
                if row is None:
                    if state == "acked":
                        self.violate(epoch, "lost write", f"{kind} {resource_id} was created (2xx) but is missing")
                    elif state == "unknown":
                        entry["state"] = "absent"  # the request died with the daemon before it committed
                    continue
                if state == "absent":
                    self.violate(epoch, "phantom write", f"{kind} {resource_id} exists although its create was refused or never committed")
                    continue
                if state == "unknown":
                    entry["state"] = "acked"  # committed, the answer was lost with the daemon
                    if entry.get("created_blacklisted"):
                        j.blacklistings[resource_id] += 1
                else:
                    self.acked_checks += 1
                for name, expected in entry["static"].items():
                    if row[name] != expected:
                        self.violate(epoch, "lost write", f"{kind} {resource_id}: {name} is {row[name]!r}, created as {expected!r}")
                for name, field in entry["fields"].items():
                    before = (field.known, list(field.pending))
                    previous = field.known
                    if not field.settle(row[name]):
                        self.violate(epoch, "lost write", f"{kind} {resource_id}: {name} is {row[name]!r}; the last acknowledged "
                                                          f"value is {before[0]!r}, unacknowledged writes since: {before[1]}")
                    elif kind == "suppliers" and name == "blacklisted" and previous == 0 and row[name] == 1:
                        j.blacklistings[resource_id] += 1  # an unanswered blacklisting that did commit
            for resource_id in rows:
                self.violate(epoch, "phantom write", f"{kind} {resource_id} exists but was never sent")

        imported = {"suppliers": {r[0] for r in db.execute("SELECT id FROM supplier WHERE id LIKE 'sup-imp-%'")},
                    "sales": {r[0] for r in db.execute("SELECT id FROM sale WHERE id LIKE 'sal-imp-%'")}}
        sent = {"suppliers": set(), "sales": set()}
        for batch in j.imports:
            sent[batch["kind"]].update(batch["ids"])
            present = sum(1 for i in batch["ids"] if i in imported[batch["kind"]])
            label = f"import of {len(batch['ids'])} {batch['kind']} ({batch['ids'][0]}…)"
            if 0 < present < len(batch["ids"]):
                self.violate(epoch, "torn write", f"{label}: {present} of its rows exist")
            elif batch["state"] == "acked":
                self.acked_checks += 1
                if present != len(batch["ids"]):
                    self.violate(epoch, "lost write", f"{label} answered 200 but its rows are missing")
            elif batch["state"] == "absent" and present:
                self.violate(epoch, "phantom write", f"{label} was refused or never committed but its rows exist")
            elif batch["state"] == "unknown":
                batch["state"] = "acked" if present else "absent"
        for kind, ids in imported.items():
            stray = ids - sent[kind]
            if stray:
                self.violate(epoch, "phantom write", f"{len(stray)} {kind} rows no import sent, e.g. {sorted(stray)[:3]}")

        statuses = {r["id"]: r["status"] for r in db.execute("SELECT id, status FROM match")}
        cancelled = {r["id"] for r in db.execute("SELECT id FROM match WHERE status = 'cancelled' AND cancel_reason IS NOT NULL")}
        for book, wanted, action in ((j.accepts, "accepted", "accept"), (j.declines, "declined", "decline")):
            for match_id, record in book.items():
                if record["acked"]:
                    self.acked_checks += 1
                    # A blacklisting (or a revoked listing) cancels accepted matches of weeks not yet begun.
                    withdrawn = wanted == "accepted" and statuses.get(match_id) == "cancelled" and match_id in cancelled
                    if statuses.get(match_id) != wanted and not withdrawn:
                        self.violate(epoch, "lost write", f"match {match_id} was {action}ed (2xx) but is {statuses.get(match_id)}")
        for match_id, status in statuses.items():
            if status == "accepted" and match_id not in j.accepts:
                self.violate(epoch, "phantom write", f"match {match_id} is accepted but no accept was sent")
            if status == "declined" and match_id not in j.declines:
                self.violate(epoch, "phantom write", f"match {match_id} is declined but no decline was sent")
            record = j.accepts.get(match_id)
            if status == "accepted" and record and not record["acked"] and not record["unknown"] and record["refused"] == record["sent"]:
                self.violate(epoch, "phantom write", f"match {match_id} is accepted but every accept sent was refused")

        # One audit entry per decision: an accept applied twice would show here.
        audited = {(r["action"], r["resource_id"]): r["n"] for r in db.execute(
            "SELECT action, resource_id, COUNT(*) AS n FROM audit_log WHERE action IN ('match.accept', 'match.decline') GROUP BY action, resource_id")}
        for match_id, status in statuses.items():
            for action, wanted in (("match.accept", "accepted"), ("match.decline", "declined")):
                n = audited.get((action, match_id), 0)
                # A cancelled match was accepted once, or never.
                allowed = {0, 1} if status == "cancelled" and action == "match.accept" else {1 if status == wanted else 0}
                if n not in allowed:
                    self.violate(epoch, "duplicate write" if n > 1 else "audit", f"match {match_id} is {status} and has {n} {action} audit entries")

        runs = {r["id"]: r for r in db.execute("SELECT id, week, proposals, (SELECT COUNT(*) FROM match m WHERE m.run_id = r.id) AS stored "
                                                "FROM match_run r")}
        for run_id, expected in j.runs.items():
            self.acked_checks += 1
            row = runs.get(run_id)
            if row is None:
                self.violate(epoch, "lost write", f"match run {run_id} ({expected['week']}) answered 201 but is missing")
            elif row["proposals"] != expected["proposals"] or row["stored"] != expected["proposals"]:
                self.violate(epoch, "lost write", f"match run {run_id} answered {expected['proposals']} proposals; stored "
                                                  f"{row['proposals']} with {row['stored']} matches")
        for run_id, row in runs.items():
            if row["proposals"] != row["stored"]:
                self.violate(epoch, "torn write", f"match run {run_id} says {row['proposals']} proposals but has {row['stored']} matches")

        weekly = {r["week"]: r["trigger"] for r in db.execute("SELECT week, trigger FROM report_run")}
        for week, state in j.weekly.items():
            if state == "acked":
                self.acked_checks += 1
                if week not in weekly:
                    self.violate(epoch, "lost write", f"the weekly job of {week} answered 201 but no report_run row exists")
            elif state == "refused" and weekly.get(week) == "api":
                self.violate(epoch, "phantom write", f"the weekly job of {week} was refused but ran")
        for week, trigger in weekly.items():
            if trigger == "api" and week not in j.weekly:
                self.violate(epoch, "phantom write", f"the weekly job of {week} ran but was never asked for")

    def check_allocation(self, db, epoch):
        # Accepted volume must fit capacity; and so must accepted plus open proposals, since a
        # run proposes only what accepted volume leaves and supersedes earlier proposals.
        for label, statuses in (("accepted", "('accepted')"), ("accepted+proposed", "('accepted','proposed')")):
            for r in db.execute(f"""
                    SELECT m.product_id, m.week, SUM(m.volume) AS taken, p.weekly_capacity AS capacity
                    FROM match m JOIN product p ON p.id = m.product_id WHERE m.status IN {statuses}
                    GROUP BY m.product_id, m.week HAVING SUM(m.volume) > p.weekly_capacity"""):
                self.violate(epoch, "over-allocation", f"product {r['product_id']} in {r['week']}: {label} volume {r['taken']} "
                                                       f"> weekly_capacity {r['capacity']}")
            for r in db.execute(f"""
                    SELECT m.demand_id, m.week, SUM(m.volume) AS taken, d.weekly_volume AS volume
                    FROM match m JOIN demand d ON d.id = m.demand_id WHERE m.status IN {statuses}
                    GROUP BY m.demand_id, m.week HAVING SUM(m.volume) > d.weekly_volume"""):
                self.violate(epoch, "over-allocation", f"demand {r['demand_id']} in {r['week']}: {label} volume {r['taken']} "
                                                       f"> weekly_volume {r['volume']}")
        for r in db.execute("""SELECT week, COUNT(DISTINCT run_id) AS runs FROM match WHERE status = 'proposed'
                               GROUP BY week HAVING COUNT(DISTINCT run_id) > 1"""):
            self.violate(epoch, "superseding", f"{r['runs']} runs have open proposals for {r['week']}")

    def check_outbox(self, db, epoch):
        names = {e["id"]: name for name, e in self.endpoints.items()}
        for r in db.execute("SELECT id, enabled, disabled_reason FROM webhook_endpoint"):
            if r["id"] in names and not r["enabled"]:
                self.violate(epoch, "endpoint disabled", f"endpoint {names[r['id']]} was disabled: {r['disabled_reason']}")

        # Every message, with the endpoints it has deliveries for.
        routed = {}
        types = {}
        # (Messages from before the endpoints existed, such as the demo's, went to others.)
        for r in db.execute("""SELECT m.id, m.type, json_extract(m.payload, '$.data.buyer_id') AS buyer, d.endpoint_id
                               FROM webhook_message m LEFT JOIN webhook_delivery d ON d.message_id = m.id
                               WHERE m.created_at >= ?""", [self.registered_at]):
            types[r["id"]] = (r["type"], r["buyer"])
            if r["endpoint_id"] is not None:
                routed.setdefault(r["id"], set()).add(r["endpoint_id"])
        for msg_id, (kind, buyer) in types.items():
            expected = {e["id"] for e in self.endpoints.values() if self.takes(e, kind, buyer)}
            actual = routed.get(msg_id, set()) & set(names)
            if actual != expected:
                self.violate(epoch, "misrouted event", f"{kind} {msg_id} has deliveries for {sorted(names[x] for x in actual)}, "
                                                       f"expected {sorted(names[x] for x in expected)}")
            self.messages[msg_id] = kind
            for endpoint_id in actual:
                self.committed[(msg_id, endpoint_id)] = kind
        vanished = [key for key in self.committed if key[0] not in types or key[1] not in routed.get(key[0], set())]
        self.violate_many(epoch, "lost event", [f"delivery of {m} to {names.get(e)} was committed earlier and is gone" for m, e in vanished])

        # The outbox agrees with the state it announces.
        events = {}
        for r in db.execute("""SELECT type, json_extract(payload, '$.data.match_id') AS match_id, COUNT(*) AS n FROM webhook_message
                               WHERE type LIKE 'match.%' GROUP BY type, match_id"""):
            events[(r["type"], r["match_id"])] = r["n"]
        want = {"proposed": "match.proposed", "accepted": "match.accepted", "declined": "match.declined", "expired": "match.expired",
                "cancelled": "match.cancelled"}
        matches = db.execute("""SELECT m.id, m.status, m.proposed_at, m.decided_at FROM match m""").fetchall()
        ids = set()
        for r in matches:
            ids.add(r["id"])
            # Before the endpoints existed nobody took the events, and none were kept.
            if r["proposed_at"] >= self.registered_at and events.get(("match.proposed", r["id"]), 0) != 1:
                self.violate(epoch, "lost event" if not events.get(("match.proposed", r["id"])) else "duplicate event",
                             f"match {r['id']} has {events.get(('match.proposed', r['id']), 0)} match.proposed messages")
            for status, kind in want.items():
                if status == "proposed":
                    continue
                n = events.get((kind, r["id"]), 0)
                wanted = 1 if r["status"] == status and (r["decided_at"] or "") >= self.registered_at else 0
                # A cancelled match may have been accepted before (its match.accepted then stands).
                if r["status"] == "cancelled" and kind == "match.accepted" and n <= 1:
                    continue
                if n != wanted:
                    self.violate(epoch, "lost event" if n < wanted else "phantom event",
                                 f"match {r['id']} is {r['status']} and has {n} {kind} messages")
        for (kind, match_id), _ in events.items():
            if match_id not in ids:
                self.violate(epoch, "phantom event", f"{kind} for match {match_id}, which does not exist")

        counts = {r["s"]: r["n"] for r in db.execute("""SELECT json_extract(payload, '$.data.supplier_id') AS s, COUNT(*) AS n
                                                        FROM webhook_message WHERE type = 'supplier.blacklisted' GROUP BY s""")}
        for supplier_id, n in self.journal.blacklistings.items():
            if self.journal.created["suppliers"].get(supplier_id, {}).get("state") != "acked":
                continue
            if counts.get(supplier_id, 0) != n:
                self.violate(epoch, "lost event" if counts.get(supplier_id, 0) < n else "phantom event",
                             f"supplier {supplier_id} was blacklisted {n} times and has {counts.get(supplier_id, 0)} supplier.blacklisted messages")
        for batch in self.journal.imports:
            if batch["state"] != "acked":
                continue
            for supplier_id in batch["blacklisted"]:
                if counts.get(supplier_id, 0) != 1:
                    self.violate(epoch, "lost event" if not counts.get(supplier_id) else "duplicate event",
                                 f"supplier {supplier_id} was imported blacklisted and has {counts.get(supplier_id, 0)} "
                                 f"supplier.blacklisted messages")
        reports = {r["w"]: r["n"] for r in db.execute("""SELECT json_extract(payload, '$.data.week') AS w, COUNT(*) AS n
                                                         FROM webhook_message WHERE type = 'report.weekly' GROUP BY w""")}
        for r in db.execute("SELECT week, finished_at FROM report_run"):
            if r["finished_at"] < self.registered_at:
                continue
            n = reports.get(add_weeks(r["week"], -1), 0)
            if n != 1:
                self.violate(epoch, "lost event" if n == 0 else "duplicate event", f"the weekly job of {r['week']} has {n} report.weekly messages")

        scheduled = {r["l"]: r["n"] for r in db.execute("""SELECT json_extract(payload, '$.data.livestream_id') AS l, COUNT(*) AS n
                                                          FROM webhook_message WHERE type = 'livestream.scheduled' GROUP BY l""")}
        for r in db.execute("SELECT id FROM livestream WHERE created_at >= ?", [self.registered_at]):
            n = scheduled.get(r["id"], 0)
            if n != 1:
                self.violate(epoch, "lost event" if n == 0 else "duplicate event", f"livestream {r['id']} has {n} livestream.scheduled messages")
        marked = {(r["livestream_id"], r["lead_minutes"]) for r in db.execute("SELECT livestream_id, lead_minutes FROM webhook_reminder")}
        for r in db.execute("""SELECT json_extract(payload, '$.data.livestream_id') AS l, json_extract(payload, '$.data.lead_minutes') AS lead,
                               COUNT(*) AS n FROM webhook_message WHERE type = 'livestream.reminder' GROUP BY l, lead"""):
            if r["n"] != 1:
                self.violate(epoch, "duplicate event", f"livestream {r['l']} has {r['n']} livestream.reminder messages for lead {r['lead']} min")
            if (r["l"], r["lead"]) not in marked:
                self.violate(epoch, "torn write", f"livestream {r['l']}: a {r['lead']} min reminder went out but is not marked sent")

    def check_reminders_due(self, epoch, leads, slack_seconds):
        """Liveness, at the end: every reminder whose moment passed while the daemon ran was written."""
        db = self.connect()
        try:
            marked = {(r["livestream_id"], r["lead_minutes"]) for r in db.execute("SELECT livestream_id, lead_minutes FROM webhook_reminder")}
            now = dt.datetime.now(dt.timezone.utc)
            due = 0
            for r in db.execute("SELECT id, starts_at, created_at FROM livestream WHERE status = 'scheduled' AND id LIKE 'liv-crash-%'"):
                starts = dt.datetime.fromisoformat(r["starts_at"].replace("Z", "+00:00"))
                created = dt.datetime.fromisoformat(r["created_at"].replace("Z", "+00:00"))
                for lead in leads:
                    moment = starts - dt.timedelta(minutes=lead)
                    if created <= moment and moment <= now - dt.timedelta(seconds=slack_seconds):
                        due += 1
                        if (r["id"], lead) not in marked:
                            self.violate(epoch, "lost event", f"livestream {r['id']}: the {lead} min reminder was due at "
                                                              f"{moment.isoformat()} and was never written")
            return due
        finally:
            db.close()

    @staticmethod
    def takes(endpoint, kind, buyer):
        if endpoint.get("owner_buyer") and buyer != endpoint["owner_buyer"]:
            return False
        for pattern in endpoint["types"]:
            if pattern == "*" or pattern == kind or (pattern.endswith(".*") and kind.startswith(pattern[:-1])):
                return True
        return False

    def pending(self):
        db = self.connect()
        try:
            ids = [e["id"] for e in self.endpoints.values()]
            marks = ",".join("?" * len(ids))
            row = db.execute(f"""SELECT SUM(status = 'pending') AS pending, SUM(status = 'failed') AS failed, COUNT(*) AS total
                                 FROM webhook_delivery WHERE endpoint_id IN ({marks})""", ids).fetchone()
            return row["pending"] or 0, row["failed"] or 0, row["total"] or 0
        finally:
            db.close()

    def deliveries(self):
        db = self.connect()
        try:
            return {(r["message_id"], r["endpoint_id"]): (r["status"], r["attempts"], r["last_error"])
                    for r in db.execute("SELECT message_id, endpoint_id, status, attempts, last_error FROM webhook_delivery")}
        finally:
            db.close()

    def payloads(self):
        db = self.connect()
        try:
            return {r["id"]: r["payload"] for r in db.execute("SELECT id, payload FROM webhook_message")}
        finally:
            db.close()


# ---------------------------------------------------------------------------------------------
# The run

def write_config(path, db_path, args):
    retries = ", ".join(["0.2s", "0.5s"] + ["1s"] * 40)  # far more retries than 20% failures can exhaust
    # The weekly match run and the weekly report job fall due a minute or two into the run, so that
    # the schedulers' own writes (and their once-a-week bookkeeping) meet the kills too.
    due = dt.datetime.now(SHANGHAI) + dt.timedelta(seconds=90)
    weekday = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[due.weekday()]
    moment = f'weekday: {weekday}\n    time: "{due:%H:%M}"'
    text = f"""# Written by reliability/crash.py for one crash-safety run.
server:
  host: 127.0.0.1
  port: 0
  shutdown_timeout_seconds: 5
database:
  path: {db_path}
  busy_timeout_ms: 10000
auth:
  token_cache_seconds: 60
matching:
  schedule:
    check_interval_seconds: 2
    {moment}
reports:
  weekly:
    {moment}
webhooks:
  allowlist: ["127.0.0.1"]
  poll_interval_ms: 50
  timeout_seconds: {args.webhook_timeout}
  retry_schedule: [{retries}]
  retry_jitter: 0.2
  retry_after_max_seconds: 2
  concurrency: 16
  per_endpoint_concurrency: 6
  maintenance_interval_seconds: 2
  reminder_lead_minutes: [1, 2]
logging:
  level: info
"""
    with open(path, "w") as f:
        f.write(text)


def snapshot_binary(binary, state_dir, patience=120):
    """A private copy of the executable: every restart of a run must run the same daemon, even
    when a build replaces the original meanwhile (and exec of a file being written fails)."""
    os.makedirs(os.path.join(state_dir, "bin"), exist_ok=True)
    copy = os.path.join(state_dir, "bin", "chanxiao")
    deadline = time.monotonic() + patience
    while True:
        try:
            before = os.stat(binary)
            shutil.copy2(binary, copy)
            after = os.stat(binary)
            if (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, after.st_size):
                check = subprocess.run([copy, "--version"], capture_output=True, text=True, timeout=60)
                if check.returncode == 0:
                    return copy
                problem = f"--version exited {check.returncode}: {check.stderr.strip()}"
            else:
                problem = "it changed while being copied"
        except (OSError, subprocess.SubprocessError) as error:
            problem = str(error)
        if time.monotonic() > deadline:
            raise SetupError(f"could not take a working copy of {binary}: {problem}")
        time.sleep(2)  # probably being rebuilt


def register_endpoints(api, receiver):
    specs = {
        "all": {"path": "/all", "types": ["*"]},
        "buyer": {"path": "/buyer", "types": ["match.*"], "owner_buyer": WATCHED_BUYER},
        "selected": {"path": "/selected", "types": ["supplier.blacklisted", "match.accepted", "report.weekly", "livestream.reminder"]},
    }
    endpoints = {}
    for name, spec in specs.items():
        body = {"url": receiver.url(spec["path"]), "event_types": spec["types"], "description": f"crash suite: {name}"}
        if spec.get("owner_buyer"):
            body["owner"] = f"buyer:{spec['owner_buyer']}"
        status, answer = api.post("/v1/webhook-endpoints", body)
        if status != 201:
            raise SetupError(f"registering endpoint {name} answered {status}: {answer}")
        receiver.secrets[spec["path"]] = base64.b64decode(answer["secret"].split("_", 1)[1])
        endpoints[name] = dict(spec, id=answer["id"], created_at=answer["created_at"])
    return endpoints


def run_epoch(daemon, world, args, epoch, rng):
    """Starts the workload threads against the running daemon, kills the daemon after a random
    delay, and waits for the threads. Returns the delay."""
    stop = threading.Event()
    world.set_epoch(epoch)
    bodies = [("matcher", matcher_step)] + [(f"buyer{i}", buyer_step) for i in range(args.buyers)] + [("catalog", catalog_step)]
    if not args.no_resend:
        bodies.append(("resender", resend_step))
    workers = [Worker(f"{name}-{epoch}", world, daemon.url, stop, rng.randrange(1 << 62), body) for name, body in bodies]
    for w in workers:
        w.start()
    delay = rng.uniform(args.min_delay, args.max_delay)
    time.sleep(delay)
    tail = daemon.tail()
    killed = daemon.kill9()
    stop.set()
    for w in workers:
        w.join(timeout=60)
        if w.is_alive():
            raise SetupError(f"worker {w.name} did not stop")
        if w.error:
            raise SetupError(f"worker {w.name} failed:\n{w.error}")
    if not killed:
        raise DaemonDied(f"the daemon died by itself during epoch {epoch}, before the kill; last log lines:\n{tail}")
    return delay


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=100, help="how many times to kill -9 the daemon (default 100)")
    parser.add_argument("--seed", type=int, default=None, help="seed of every random choice (default: from the clock, printed)")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "chanxiao"), help="the chanxiao executable")
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    parser.add_argument("--state-dir", help="keep the state here (default: a temporary directory, removed after a clean run)")
    parser.add_argument("--min-delay", type=float, default=0.05, help="shortest time the workload runs before a kill (s)")
    parser.add_argument("--max-delay", type=float, default=1.5, help="longest time the workload runs before a kill (s)")
    parser.add_argument("--buyers", type=int, default=2, help="threads accepting and declining proposals")
    parser.add_argument("--fail-rate", type=float, default=0.2, help="share of deliveries the receiver answers 500")
    parser.add_argument("--slow-rate", type=float, default=0.05, help="share of deliveries the receiver answers late")
    parser.add_argument("--webhook-timeout", type=float, default=1.0, help="webhooks.timeout_seconds")
    parser.add_argument("--demo", action="store_true",
                        help="start from the bundled demo catalog (serve --demo) as well: match runs of hundreds of proposals")
    parser.add_argument("--no-resend", action="store_true", help="leave POST /v1/webhook-messages/{id}/resend out of the workload")
    parser.add_argument("--max-products", type=int, default=60)
    parser.add_argument("--max-demands", type=int, default=40)
    parser.add_argument("--drain-timeout", type=float, default=300, help="how long to wait for the outbox to empty at the end (s)")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = int(time.time() * 1000) % 1_000_000
    if not os.access(args.binary, os.X_OK):
        print(f"crash.py: {args.binary} is not an executable; build it with `swift build` or pass --binary", file=sys.stderr)
        return 2
    # A parent may hand us blocked or ignored signals (a test runner's thread); the daemons would
    # inherit that mask and ignore the final SIGTERM, and we could not be stopped cleanly.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)
    global REAPER
    REAPER = Reaper()

    started = time.monotonic()
    state_dir = args.state_dir or tempfile.mkdtemp(prefix="chanxiao-crash-")
    try:
        binary = snapshot_binary(args.binary, state_dir)
    except SetupError as error:
        print(f"crash.py: {error}", file=sys.stderr)
        return 2
    os.makedirs(state_dir, exist_ok=True)
    db_path = os.path.join(state_dir, "chanxiao.sqlite")
    if os.path.exists(db_path):
        print(f"crash.py: {db_path} exists; every run starts from a fresh state directory", file=sys.stderr)
        return 2
    config_path = os.path.join(state_dir, "chanxiao.yaml")
    write_config(config_path, db_path, args)
    rng = random.Random(args.seed)
    receiver = Receiver(rng.randrange(1 << 62), args.fail_rate, args.slow_rate, (args.webhook_timeout * 0.3, args.webhook_timeout * 2.0))
    receiver.start()
    daemon = Daemon(binary, config_path, state_dir)
    journal = Journal()
    report = {"command": " ".join([os.path.basename(sys.executable), os.path.relpath(os.path.abspath(__file__))] + (argv or sys.argv[1:])),
              "seed": args.seed, "kills_requested": args.kills, "state_dir": state_dir}
    log(f"seed {args.seed}, state in {state_dir}, receiver on 127.0.0.1:{receiver.port}")
    failed_setup = None
    checker = None
    kills = 0
    restart_seconds = []
    delays = []
    try:
        token = daemon.cli("token", "create", "--role", "admin", "--label", "crash suite").strip()
        daemon.start(demo=args.demo)
        api = Api(daemon.url, token)
        world = World(args, token, journal)
        world.receiver = receiver
        if args.demo:
            # The demo inbox never resolves; its deliveries would never drain.
            must(*api.call("DELETE", "/v1/webhook-endpoints/whe-demo-inbox"), "deleting the demo inbox endpoint")
        setup_parties(api, existing_ok=args.demo)
        endpoints = register_endpoints(api, receiver)
        registered_at = max(e["created_at"] for e in endpoints.values())
        setup_catalog(api, world, random.Random(rng.randrange(1 << 62)))
        api.close()
        checker = Checker(db_path, world, endpoints, registered_at)
        log(f"daemon at {daemon.url}; catalog: {len(journal.created['products'])} products, {len(journal.created['demands'])} demands; "
            f"weeks from {world.weeks[0]}")
        checker.check(0)

        for epoch in range(1, args.kills + 1):
            try:
                delays.append(run_epoch(daemon, world, args, epoch, rng))
            except DaemonDied as error:
                checker.violate(epoch, "crash", str(error))
                raise
            kills += 1
            t0 = time.monotonic()
            try:
                daemon.start()
            except DaemonDied as error:
                checker.violate(epoch, "crash on restart", str(error))
                raise
            restart_seconds.append(time.monotonic() - t0)
            checker.check(epoch)
            if epoch % 10 == 0 or epoch == args.kills:
                t = journal.totals()
                log(f"kill {epoch}/{args.kills}: writes acked {t['acked']}, refused {t['refused']}, unknown {t['unknown']}; "
                    f"messages {len(checker.messages)}, deliveries {len(checker.committed)}, violations {len(checker.violations)}")

        # The end: every committed delivery must reach the receiver once it answers 2xx.
        receiver.chaos = False
        log("receiver answers 204 from now on; waiting for the outbox to drain")
        deadline = time.monotonic() + args.drain_timeout
        while True:
            pending, failed, total = checker.pending()
            if pending == 0:
                break
            if time.monotonic() > deadline:
                checker.violate(kills, "outbox not drained", f"{pending} of {total} deliveries still pending after {args.drain_timeout} s")
                break
            if not daemon.alive():
                checker.violate(kills, "crash", f"the daemon exited while draining:\n{daemon.tail()}")
                break
            time.sleep(0.25)
        checker.check(kills + 1)
        report["reminders_due_checked"] = checker.check_reminders_due(kills + 1, [1, 2], slack_seconds=15)
        status = daemon.terminate()
        if status != 0:
            checker.violate(kills, "unclean stop", f"SIGTERM: the daemon exited with status {status}")
        checker.check(kills + 1)  # once more with no daemon: the file as left on disk
        finish(report, checker, receiver, journal, kills, restart_seconds, delays, daemon, started)
    except SetupError as error:
        failed_setup = str(error)
    except DaemonDied as error:
        failed_setup = failed_setup or str(error)
    except KeyboardInterrupt as error:
        failed_setup = f"interrupted ({error})"
    finally:
        kill_all_daemons()
        receiver.stop()
        REAPER.close()
        shutil.rmtree(os.path.join(state_dir, "bin"), ignore_errors=True)  # the executable's copy is large

    report["elapsed_seconds"] = round(time.monotonic() - started, 1)
    if failed_setup is not None:
        report.setdefault("kills", kills)
        report["error"] = failed_setup
        if checker is not None:
            report["violations"] = checker.violations
            report["integrity_failures"] = checker.integrity_failures
    ok = failed_setup is None and not report.get("violations")
    report["result"] = "pass" if ok else "FAIL"
    print_report(report)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2, ensure_ascii=False)
            f.write("\n")
    if ok and not args.state_dir:
        shutil.rmtree(state_dir, ignore_errors=True)
    elif not ok:
        print(f"state kept in {state_dir} (daemon.log, chanxiao.sqlite)")
    if failed_setup is not None and not (checker and checker.violations):
        return 2
    return 0 if ok else 1


def finish(report, checker, receiver, journal, kills, restart_seconds, delays, daemon, started_at):
    deliveries = checker.deliveries()
    names = {e["id"]: name for name, e in checker.endpoints.items()}
    paths = {e["id"]: e["path"] for e in checker.endpoints.values()}
    accepted = dict(receiver.accepted)
    lost = []
    duplicates = 0
    resent = {}
    for resend in journal.resends:
        for endpoint_id in resend["endpoints"]:
            resent[(resend["msg"], endpoint_id)] = resent.get((resend["msg"], endpoint_id), 0) + 1
    for (msg_id, endpoint_id), kind in sorted(checker.committed.items()):
        n = accepted.get((paths[endpoint_id], msg_id), 0)
        if n == 0:
            status = deliveries.get((msg_id, endpoint_id))
            lost.append(f"{kind} {msg_id} to {names[endpoint_id]} (delivery {status})")
        duplicates += max(0, n - 1 - resent.get((msg_id, endpoint_id), 0))  # copies asked for by a resend are not duplicates
    checker.violate_many(kills, "lost event", [f"never received: {item}" for item in lost])
    # An acknowledged resend must be followed by a delivery that the receiver got after the
    # request was sent; one attempt already in flight then does not count.
    swallowed = []
    for resend in journal.resends:
        for endpoint_id in resend["endpoints"]:
            if endpoint_id not in paths:
                continue
            times = receiver.accepted_at.get((paths[endpoint_id], resend["msg"]), [])
            if not any(t > resend["sent_at"] for t in times):
                swallowed.append((resend["msg"], endpoint_id, deliveries.get((resend["msg"], endpoint_id)),
                                  round(resend["sent_at"] - started_at, 3)))
    checker.violate_many(kills, "lost resend", [f"{m} to {names[e]}: resent (202) at +{t} s but never received after that; "
                                                f"delivery now {d}" for m, e, d, t in swallowed])
    by_path = {e["path"]: e["id"] for e in checker.endpoints.values()}
    phantom = [(p, m) for (p, m) in accepted if (m, by_path.get(p)) not in checker.committed]
    checker.violate_many(kills, "phantom event", [f"{p} received {m}, which the outbox never committed for it" for p, m in phantom])
    delivered_unreceived = [key for key, (status, _, _) in deliveries.items()
                            if key[1] in paths and status == "delivered" and accepted.get((paths[key[1]], key[0]), 0) == 0]
    checker.violate_many(kills, "lost event", [f"{m} to {names[e]} is marked delivered but the receiver never accepted it"
                                               for m, e in delivered_unreceived])
    payloads = checker.payloads()
    altered = [m for m, body in receiver.bodies.items() if m in payloads and payloads[m] != body]
    checker.violate_many(kills, "altered event", [f"{m}: the body received differs from the stored payload" for m in altered])
    if receiver.bad_signatures:
        checker.violate(kills, "bad signature", f"{len(receiver.bad_signatures)} requests, e.g. {receiver.bad_signatures[:3]}")
    if receiver.unknown_paths:
        checker.violate(kills, "misrouted event", f"requests to unknown paths: {receiver.unknown_paths[:5]}")

    db = checker.connect()
    try:
        report["match_runs_by_trigger"] = {r[0]: r[1] for r in db.execute("SELECT trigger, COUNT(*) FROM match_run GROUP BY trigger")}
        report["weekly_jobs_by_trigger"] = {r[0]: r[1] for r in db.execute("SELECT trigger, COUNT(*) FROM report_run GROUP BY trigger")}
    finally:
        db.close()
    types = {}
    for kind in checker.messages.values():
        types[kind] = types.get(kind, 0) + 1
    totals = journal.totals()
    errors = []
    with open(daemon.log_path, errors="replace") as f:
        for line in f:
            if "level=error" in line or "level=critical" in line or "Fatal error" in line:
                errors.append(line.strip())
    report.update({
        "kills": kills,
        "restarts": daemon.starts - 1,
        "restart_seconds_mean": round(sum(restart_seconds) / max(1, len(restart_seconds)), 3),
        "restart_seconds_max": round(max(restart_seconds, default=0), 3),
        "kill_delay_seconds_mean": round(sum(delays) / max(1, len(delays)), 3),
        "events_committed": len(checker.messages),
        "events_by_type": dict(sorted(types.items())),
        "deliveries_expected": len(checker.committed),
        "deliveries_received": sum(1 for (m, e) in checker.committed if accepted.get((paths[e], m), 0) > 0),
        "losses": len(lost) + len(delivered_unreceived),
        "acknowledged_resends": len(journal.resends),
        "resends_not_followed_by_a_delivery": len(swallowed),
        "duplicate_deliveries": duplicates,
        "receiver_requests": receiver.requests,
        "receiver_500s": receiver.failed_on_purpose,
        "receiver_slow_answers": receiver.slow,
        "receiver_truncated_requests": receiver.truncated,
        "deliveries_failed_for_good": sum(1 for (s, _, _) in deliveries.values() if s == "failed"),
        "writes": totals,
        "writes_by_operation": {f"{op} {result}": n for (op, result), n in sorted(journal.counts.items())},
        "refusal_samples": journal.refusals,
        "acknowledged_writes_checked": checker.acked_checks,
        "acknowledged_accepts": sum(1 for r in journal.accepts.values() if r["acked"]),
        "acknowledged_match_runs": len(journal.runs),
        "integrity_checks": checker.integrity_checks,
        "integrity_failures": checker.integrity_failures,
        "daemon_error_log_lines": len(errors),
        "daemon_error_log_samples": errors[:5],
        "violations": checker.violations,
    })


def print_report(r):
    print()
    print(f"chanxiao crash-safety report ({r['result']})")
    print(f"  command                 {r['command']}")
    print(f"  seed                    {r['seed']}")
    if "error" in r:
        print(f"  error                   {r['error']}")
    rows = [("kills (SIGKILL)", "kills"), ("restarts", "restarts"), ("restart time mean/max s", None),
            ("events committed", "events_committed"), ("deliveries expected", "deliveries_expected"),
            ("deliveries received", "deliveries_received"), ("losses", "losses"), ("duplicate deliveries", "duplicate_deliveries"),
            ("acked resends", "acknowledged_resends"), ("  not delivered after", "resends_not_followed_by_a_delivery"),
            ("receiver requests", "receiver_requests"), ("  answered 500", "receiver_500s"), ("  answered late", "receiver_slow_answers"),
            ("  cut off by a kill", "receiver_truncated_requests"),
            ("acked writes checked", "acknowledged_writes_checked"), ("acked accepts", "acknowledged_accepts"),
            ("acked match runs", "acknowledged_match_runs"), ("integrity checks", "integrity_checks"),
            ("integrity failures", "integrity_failures"), ("daemon error log lines", "daemon_error_log_lines"),
            ("elapsed s", "elapsed_seconds")]
    for label, key in rows:
        if key is None:
            if "restart_seconds_mean" in r:
                print(f"  {label:<24}{r['restart_seconds_mean']} / {r['restart_seconds_max']}")
        elif key in r:
            print(f"  {label:<24}{r[key]}")
    if "writes" in r:
        w = r["writes"]
        print(f"  {'writes':<24}{w['acked']} acknowledged, {w['refused']} refused (4xx), {w['unknown']} unknown (killed in flight or 5xx)")
    for label, key in (("match runs by trigger", "match_runs_by_trigger"), ("weekly jobs by trigger", "weekly_jobs_by_trigger")):
        if r.get(key):
            print(f"  {label:<24}" + ", ".join(f"{k} {v}" for k, v in sorted(r[key].items())))
    if r.get("events_by_type"):
        print(f"  {'events by type':<24}" + ", ".join(f"{k} {v}" for k, v in r["events_by_type"].items()))
    violations = r.get("violations") or []
    print(f"  {'violations':<24}{len(violations)}")
    for v in violations[:40]:
        print(f"    - after restart {v['epoch']} [{v['kind']}] {v['detail']}")
    if len(violations) > 40:
        print(f"    … {len(violations) - 40} more (see --json)")


if __name__ == "__main__":
    sys.exit(main())
