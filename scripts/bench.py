#!/usr/bin/env python3
"""The benchmark harness behind `make bench`.

Builds nothing itself (scripts/bench.sh builds release first). Starts two baselines (a bare
axum "hello" and a minimal Leptos SSR page), then the release server on a fresh SQLite
database seeded with BENCH_HISTORIES payments (default 1,000,000), and again on a fresh
Postgres database when a server answers (BENCH_POSTGRES_URL, else the local one). Drives load
with oha on loopback and prints one table: requests/s, p50, p99, errors, server RSS, ratio to
the bare baseline, and the target. The same goes to target/bench/results.json and BENCHMARKS.md.
"""

import datetime
import json
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "bench")
RELEASE = os.path.join(ROOT, "target", "release")
OHA = os.environ.get("OHA", os.path.expanduser("~/.cargo/bin/oha"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
HISTORIES = int(os.environ.get("BENCH_HISTORIES", "1000000"))
PASSWORD = "demo-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(400):
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nothing answers at {url}")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Process:
    """A server under measurement; what it logs (warnings and errors) goes to
    target/bench/<name>.log, to read when a scenario fails."""

    def __init__(self, args, env, url):
        name = os.path.basename(args[0]) + "-" + env.get("DATABASE_URL", "none").split(":")[0]
        self.log = open(os.path.join(OUT, name + ".log"), "w")
        self.proc = subprocess.Popen(args, env=dict(env, RUST_LOG="warn"), cwd=ROOT,
                                     stdout=self.log, stderr=self.log)
        wait_for(url)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.log.close()


def oha(url, connections, method="GET", body=None, headers=()):
    args = [OHA, "-z", DURATION, "-c", str(connections), "--no-tui", "--output-format", "json", "-m", method]
    for header in headers:
        args += ["-H", header]
    if body is not None:
        args += ["-d", body, "-T", "application/x-www-form-urlencoded"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    codes = data.get("statusCodeDistribution", {})
    ok = sum(n for code, n in codes.items() if code.startswith("2"))
    # Requests cut off when the run's time is up are not the server's errors.
    errors = sum(n for kind, n in data.get("errorDistribution", {}).items()
                 if "deadline" not in kind) + sum(
        n for code, n in codes.items() if not code.startswith("2"))
    latency = data.get("latencyPercentiles", {})
    return {
        "rps": data["summary"]["requestsPerSec"],
        "p50_ms": (latency.get("p50") or 0) * 1000,
        "p99_ms": (latency.get("p99") or 0) * 1000,
        "ok": ok,
        "errors": errors,
    }


def timed_gets(opener, url, times=20):
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        with opener.open(url) as response:
            response.read()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_gb = int(f.readline().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, {platform.system()} {platform.release()}"


class Sqlite:
    """Reads and small writes the harness makes itself, on the SQLite file."""

    def __init__(self, path):
        self.db = sqlite3.connect(path)

    def rows(self, sql, args=()):
        return self.db.execute(sql.replace("%s", "?"), args).fetchall()

    def execute(self, sql, args=()):
        self.db.execute(sql.replace("%s", "?"), args)
        self.db.commit()


class Postgres:
    """The same through psql (no Python driver needed); arguments are quoted literals."""

    def __init__(self, url):
        self.url = url

    @staticmethod
    def literal(value):
        if isinstance(value, (int, float)):
            return str(value)
        return "'" + str(value).replace("'", "''") + "'"

    def _run(self, sql, args):
        query = sql % tuple(self.literal(a) for a in args) if args else sql
        out = subprocess.run(["psql", self.url, "-qtAX", "-F", "\t", "-c", query],
                             capture_output=True, text=True, check=True).stdout
        return [tuple(int(v) if v.lstrip("-").isdigit() else v for v in line.split("\t"))
                for line in out.splitlines() if line]

    def rows(self, sql, args=()):
        return self._run(sql, args)

    def execute(self, sql, args=()):
        self._run(sql, args)


def fresh_postgres():
    """A fresh bench database on the given or local server, or None when none answers."""
    admin = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        for sql in ("DROP DATABASE IF EXISTS paylinks_bench", "CREATE DATABASE paylinks_bench"):
            subprocess.run(["psql", admin, "-qtAXc", sql], capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    parsed = urllib.parse.urlsplit(admin)
    return urllib.parse.urlunsplit(parsed._replace(path="/paylinks_bench"))


def baselines(env):
    results = {}
    hello_port, leptos_port = free_port(), free_port()
    hello = Process([os.path.join(RELEASE, "examples", "bench_hello")],
                    dict(env, BENCH_ADDR=f"127.0.0.1:{hello_port}"), f"http://127.0.0.1:{hello_port}/")
    minimal = Process([os.path.join(RELEASE, "examples", "bench_leptos")],
                      dict(env, BENCH_ADDR=f"127.0.0.1:{leptos_port}"), f"http://127.0.0.1:{leptos_port}/")
    print("baselines…", flush=True)
    results["bare axum hello"] = oha(f"http://127.0.0.1:{hello_port}/", 64)
    results["bare axum hello"]["rss_mb"] = rss_mb(hello.proc.pid)
    results["minimal Leptos page"] = oha(f"http://127.0.0.1:{leptos_port}/", 64)
    results["minimal Leptos page"]["rss_mb"] = rss_mb(minimal.proc.pid)
    hello.stop()
    minimal.stop()
    print("storage baselines…", flush=True)
    admin = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    storage_env = dict(env, BENCH_POSTGRES_URL=admin) if postgres_answers(admin) else env
    measured = subprocess.run([os.path.join(RELEASE, "examples", "bench_storage")], env=storage_env,
                              check=True, capture_output=True, text=True)
    results["storage"] = json.loads(measured.stdout)
    return results


def postgres_answers(url):
    try:
        subprocess.run(["psql", url, "-qtAXc", "SELECT 1"], capture_output=True, check=True, timeout=10)
        return True
    except (OSError, subprocess.SubprocessError):
        return False


def attempt_rows_baseline(env, database_url, link_id, db):
    """Independent INSERTs of the attempt row into the seeded database (its table, indexes and
    triggers) on the link the attempt scenario uses; the rows are deleted afterwards."""
    print("storage baseline: attempt rows…", flush=True)
    measured = subprocess.run([os.path.join(RELEASE, "examples", "bench_storage")],
                              env=dict(env, BENCH_ATTEMPTS_URL=database_url,
                                       BENCH_ATTEMPTS_LINK=str(link_id)),
                              check=True, capture_output=True, text=True)
    db.execute("DELETE FROM payment_link_histories WHERE reff_no LIKE 'BENCHROW%'")
    db.execute("VACUUM ANALYZE payment_link_histories")
    return json.loads(measured.stdout)


def scenarios(env, database_url, db, storage):
    """Seeds, serves and measures every scenario on one database; a storage baseline measured
    on the seeded database goes into `storage`."""
    results = {}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(env, DATABASE_URL=database_url, LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
               PUBLIC_BASE_URL=base)
    print(f"seeding {HISTORIES:,} payments…", flush=True)
    seeded = subprocess.run([os.path.join(RELEASE, "paylinks"), "seed", "--histories", str(HISTORIES)],
                            env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    seed = json.loads(seeded.stdout)
    account = seed["account_id"]
    slug = db.rows("SELECT slug FROM payment_links WHERE id = %s", (seed["links"][0],))[0][0]
    # A link of its own for the oversell check: 500 slots, none used.
    db.execute("""INSERT INTO payment_links (merchant_id, account_id, slug, reff_no, title,
                  total_amount, required_customer_detail, max_usage, current_usage, status,
                  source, created_at, updated_at)
                  SELECT merchant_id, account_id, 'benchOversell500slots0', 'BENCH-500', 'Bench',
                  total_amount, FALSE, 500, 0, 'open', source, created_at, updated_at
                  FROM payment_links WHERE id = %s""", (seed["links"][0],))

    if isinstance(db, Postgres):
        storage.update(attempt_rows_baseline(env, database_url, seed["links"][0], db))

    server = Process([os.path.join(RELEASE, "paylinks")], env, f"{base}/health")
    try:
        print("payer page…", flush=True)
        results["payer page GET /pay/{slug}"] = oha(f"{base}/pay/{slug}", 64)
        results["payer page GET /pay/{slug}"]["rss_mb"] = rss_mb(server.proc.pid)
        with urllib.request.urlopen(f"{base}/pay/{slug}") as r:
            html_bytes = len(r.read())

        print("attempt creation…", flush=True)
        form = urllib.parse.urlencode({"slug": slug, "method": "VA_BRI"})
        results["attempt creation POST /fn/pay"] = oha(
            f"{base}/fn/pay", 32, "POST", form, [f"Origin: {base}", "Accept: application/json"])
        results["attempt creation POST /fn/pay"]["rss_mb"] = rss_mb(server.proc.pid)
        form = urllib.parse.urlencode({"slug": "benchOversell500slots0", "method": "QRIS"})
        oha(f"{base}/fn/pay", 32, "POST", form, [f"Origin: {base}", "Accept: application/json"])
        held = db.rows("""SELECT COUNT(*) FROM payment_link_histories h JOIN payment_links l
                          ON l.id = h.payment_link_id WHERE l.reff_no = 'BENCH-500'
                          AND h.status IN ('pending', 'paid')""")[0][0]
        results["oversell check, max_usage 500"] = {"held": held}

        # The dashboard as the demo merchant.
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("Origin", base), ("Accept", "text/html")]
        login = urllib.parse.urlencode({"email": seed["email"], "password": PASSWORD}).encode()
        opener.open(urllib.request.Request(f"{base}/fn/login", data=login, headers={"Accept": "application/json"}))
        print("payments page…", flush=True)
        first = timed_gets(opener, f"{base}/accounts/{account}/payments")
        deep_row = db.rows("""SELECT created_at, id FROM payment_link_histories WHERE account_id = %s
                              ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET %s""",
                           (account, HISTORIES // 2))[0]
        deep = timed_gets(opener, f"{base}/accounts/{account}/payments?after={deep_row[0]}_{deep_row[1]}")
        results["payments page, first page"] = {"p50_ms": first}
        results["payments page, a page halfway down"] = {"p50_ms": deep}

        print("API history list…", flush=True)
        sys.path.insert(0, os.path.dirname(__file__))
        from api_server import token  # noqa: E402  (the contract's token request)
        issued = subprocess.run([os.path.join(RELEASE, "paylinks"), "credentials", "create",
                                 "--email", seed["email"], "--password", PASSWORD, "--merchant", "Toko Demo"],
                                env=env, cwd=ROOT, check=True, capture_output=True, text=True)
        credential = json.loads(issued.stdout)
        bearer = token(base, credential)
        results["API list histories, filtered"] = oha(
            f"{base}/api/v1.0/payment-link-histories/{account}?status=paid&payment_method_name=QRIS&per_page=25",
            8, headers=[f"Authorization: Bearer {bearer}", f"X-PARTNER-ID: {credential['api_key']}"])

        print("CSV export…", flush=True)
        peak = [rss_mb(server.proc.pid)]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak.append(rss_mb(server.proc.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        body = urllib.parse.urlencode({"account_id": account, "format": "csv"}).encode()
        with opener.open(urllib.request.Request(f"{base}/fn/export_create", data=body,
                                                headers={"Accept": "application/json"})) as r:
            export_id = json.load(r)
        while True:
            status, rows = db.rows("SELECT status, done_rows FROM exports WHERE id = %s", (export_id,))[0]
            if status != "running":
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        results["CSV export, every payment"] = {"seconds": elapsed, "rss_mb": max(peak),
                                                   "status": status, "rows": rows}
    finally:
        server.stop()
    return results, html_bytes


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    database = os.path.join(OUT, "bench.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    env = dict(
        os.environ,
        LEPTOS_SITE_ROOT="target/site",
        EXPORT_DIR=os.path.join(OUT, "exports"),
        PAYER_ATTEMPTS_PER_IP="100000000",
        PAYER_ATTEMPTS_PER_LINK="100000000",
        API_RATE_LIMIT_PER_MINUTE="100000000",
        RUST_LOG="error",
    )
    env.pop("DATABASE_URL", None)
    results = {"baselines": baselines(env)}
    print("— SQLite —", flush=True)
    storage = results["baselines"]["storage"]
    results["SQLite"], html_bytes = scenarios(env, f"sqlite:{database}", Sqlite(database), storage)
    postgres_url = fresh_postgres()
    if postgres_url:
        print("— Postgres —", flush=True)
        results["Postgres"], _ = scenarios(env, postgres_url, Postgres(postgres_url), storage)
    else:
        print("no PostgreSQL server answers: the Postgres run is left out", flush=True)
    results["SQLite"]["page weight"] = page_weight(os.path.join(ROOT, "target", "site", "pkg"), html_bytes)
    report(results)
    return 0


def page_weight(site, html_bytes):
    """The payer page: its HTML (with its inline script) and its CSS, brotli-compressed as a
    release build serves them; it loads no WebAssembly. The dashboard's main module and its
    lazily loaded modules are counted apart. Built file names carry a content hash."""
    def built(suffix):
        return sorted(os.path.join(site, f) for f in os.listdir(site)
                      if f.startswith("paylinks") and f.endswith(suffix))

    def brotli_size(path):
        try:
            import brotli
        except ImportError:
            return None
        with open(path, "rb") as f:
            return len(brotli.compress(f.read(), quality=11))

    css, = built(".css")
    wasm_path, = built(".wasm")
    lazy = [os.path.join(site, f) for f in os.listdir(site)
            if f.endswith(".wasm") and not f.startswith("paylinks")]
    css_br, wasm_br = brotli_size(css), brotli_size(wasm_path)
    return {"html_kb": html_bytes / 1024, "css_kb": os.path.getsize(css) / 1024,
            "css_brotli_kb": None if css_br is None else css_br / 1024,
            "wasm_kb": os.path.getsize(wasm_path) / 1024,
            "wasm_brotli_kb": None if wasm_br is None else wasm_br / 1024,
            "lazy_modules": len(lazy),
            "lazy_wasm_kb": sum(os.path.getsize(p) for p in lazy) / 1024}


TARGETS = {
    "payer page GET /pay/{slug}": "≥ 150 % of minimal Leptos rps; p99 < 10 ms; 0 errors",
    "attempt creation POST /fn/pay": {
        "SQLite": "≥ 5,000/s and ≥ 45 % of the bare SQLite reservation; p99 < 50 ms",
        "Postgres": "≥ 2,000/s and ≥ 60 % of Postgres's independent INSERTs of the attempt row; p99 < 100 ms",
    },
    "API list histories, filtered": {
        "SQLite": "p50 < 50 ms",
        "Postgres": "p50 < 10 ms",
    },
    "oversell check, max_usage 500": "exactly 500 held",
    "payments page, first page": "< 50 ms",
    "payments page, a page halfway down": "< 50 ms",
    "page weight": "payer page HTML+CSS < 60 KB, no WASM; dashboard WASM < 250 KB brotli",
}


def verdict(name, backend, r, baselines):
    minimal = baselines["minimal Leptos page"]["rps"]
    storage = baselines["storage"]
    if name.startswith("payer page"):
        return r["rps"] >= 1.5 * minimal and r["p99_ms"] < 10 and r["errors"] == 0
    if name.startswith("attempt creation") and backend == "SQLite":
        return (r["rps"] >= 5000 and r["rps"] >= 0.45 * storage["sqlite_reservation_per_s"]
                and r["p99_ms"] < 50)
    if name.startswith("attempt creation"):
        insert = storage.get("postgres_attempt_insert_per_s", float("inf"))
        return r["rps"] >= 2000 and r["rps"] >= 0.6 * insert and r["p99_ms"] < 100
    if name.startswith("API list") and backend == "Postgres":
        return r["ok"] > 0 and r["p50_ms"] < 10
    if name.startswith("oversell"):
        return r["held"] == 500
    if name.startswith("payments page"):
        return r["p50_ms"] < 50
    if name.startswith("API list"):
        return r["ok"] > 0 and r["p50_ms"] < 50
    if name.startswith("CSV export"):
        return r["status"] == "done" and r["seconds"] < 15 and r["rss_mb"] < 150
    if name == "page weight":
        return r["html_kb"] + r["css_kb"] < 60 and (r["wasm_brotli_kb"] or 1e9) < 250
    return None


def fmt(value, spec):
    return "—" if value is None else format(value, spec)


def report(results):
    bare = results["baselines"]["bare axum hello"]["rps"]
    storage = results["baselines"].pop("storage")
    lines = ["| scenario | database | req/s | p50 ms | p99 ms | errors | server RSS MB | vs bare | other | target | met |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for backend, scenario_results in results.items():
        for name, r in scenario_results.items():
            other = ""
            if "seconds" in r:
                other = f"{r['seconds']:.1f} s ({r['rows']:,} rows, {r['status']})"
            if "held" in r:
                other = f"{r['held']} held"
            if name == "page weight":
                other = (f"payer page: HTML {r['html_kb']:.1f} KB + CSS {r['css_kb']:.1f} KB "
                         f"(brotli {fmt(r['css_brotli_kb'], '.1f')} KB), no WASM; "
                         f"dashboard: WASM {r['wasm_kb']:.0f} KB, brotli {fmt(r['wasm_brotli_kb'], '.0f')} KB, "
                         f"{r['lazy_modules']} lazy modules, {r['lazy_wasm_kb']:.0f} KB")
            ratio = f"{r['rps'] / bare:.1%}" if "rps" in r else ""
            target = TARGETS.get(name, "< 15 s, RSS < 150 MB" if name.startswith("CSV") else "baseline")
            if isinstance(target, dict):
                target = target[backend]
            met = verdict(name, backend, r, dict(results["baselines"], storage=storage))
            lines.append("| " + " | ".join([
                name, "—" if backend == "baselines" else backend, fmt(r.get("rps"), ",.0f"),
                fmt(r.get("p50_ms"), ".2f"), fmt(r.get("p99_ms"), ".2f"),
                fmt(r.get("errors"), "d"), fmt(r.get("rss_mb"), ".0f"), ratio, other, target,
                "" if met is None else ("yes" if met else "**no**")]) + " |")
    for name, key in (("bare SQLite reservation, 1 connection", "sqlite_reservation_per_s"),
                      ("Postgres independent INSERTs, 32 connections", "postgres_insert_per_s"),
                      ("Postgres independent INSERTs of the attempt row, 32 connections",
                       "postgres_attempt_insert_per_s"),
                      ("Postgres reservations on one hot row, 32 connections", "postgres_hot_row_per_s")):
        if key in storage:
            lines.append(f"| {name} | — | {storage[key]:,.0f} |  |  |  |  |  | commits/s | storage baseline |  |")
    results["baselines"]["storage"] = storage
    table = "\n".join(lines)
    print("\n" + table + "\n")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump({"date": stamp, "machine": machine(), "histories": HISTORIES,
                   "duration": DURATION, "results": results}, f, indent=2)
    backends = " and ".join(b for b in results if b != "baselines")
    with open(os.path.join(ROOT, "BENCHMARKS.md"), "w") as f:
        f.write(f"""# Benchmarks

Produced by `make bench` on {stamp}: {machine()}. {backends}, release build, load from oha on
loopback for {DURATION} per scenario, {HISTORIES:,} seeded payments. "vs bare" is the share of the
bare axum "hello" throughput measured in the same run; the payer page's target compares it with
the minimal Leptos page, and attempt creation's with what the storage itself commits in the same
run (`examples/bench_storage.rs`: the bare reservation transaction on SQLite from one
connection, each sent as one string; from 32 Postgres connections, independent INSERTs of a
three-column row, reservations on one hot row, and independent INSERTs of the attempt row itself
into the seeded database's own table, with its indexes and triggers, but no count and no lock;
Postgres's target is a share of the last). The load generator runs on the same two cores as the server.

{table}
""")


if __name__ == "__main__":
    sys.exit(main())
